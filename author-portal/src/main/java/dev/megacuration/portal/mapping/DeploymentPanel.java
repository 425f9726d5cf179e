package dev.megacuration.portal.mapping;

import dev.megacuration.privacy.consent.ConsentEvent;
import dev.megacuration.privacy.consent.Deployment;
import dev.megacuration.privacy.erasure.ErasureRequest;
import java.util.List;

/** One deployment on its owner's page: its consent decisions in force and its erasure, if one was asked. */
public record DeploymentPanel(DeploymentView deployment, List<ConsentView> consents, ErasureView erasure) {

    public static DeploymentPanel of(Deployment deployment, List<ConsentEvent> consents, ErasureRequest erasure) {
        return new DeploymentPanel(DeploymentView.of(deployment, null), consents.stream().map(ConsentView::of).toList(),
                erasure == null ? null : ErasureView.of(erasure));
    }

    public boolean erased() {
        return deployment.erasedAt() != null || erasure != null;
    }
}
