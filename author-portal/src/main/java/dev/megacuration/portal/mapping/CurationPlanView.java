package dev.megacuration.portal.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.megacuration.portal.CurationPlan;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A curation plan and its review state. {@code deletesAllowed} is false while a paranoid plan lacks a
 * person's approval: applying it then archives what it would delete. The document (plan.json) is only in
 * the single-plan view, sent as stored (a plan of a large bundle is tens of megabytes: not parsed again).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CurationPlanView(UUID id, String baseVersion, String kind, String status, long spansChanged, long bytesSaved,
                       boolean hasDeletes, boolean paranoia, boolean deletesAllowed, String proposedBy,
                       OffsetDateTime proposedAt, String decidedBy, Boolean decidedByPerson, OffsetDateTime decidedAt,
                       String decisionComment, String resultVersion, OffsetDateTime appliedAt, String rolledBackBy,
                       OffsetDateTime rolledBackAt, String documentSha256,
                               @JsonRawValue String document) {

    public static CurationPlanView of(CurationPlan plan, String baseVersion, String document) {
        return new CurationPlanView(plan.id, baseVersion, plan.kind, plan.status, plan.spansChanged, plan.bytesSaved,
                plan.hasDeletes, plan.paranoia, !plan.paranoia || Boolean.TRUE.equals(plan.decidedByPerson),
                plan.proposedBy, plan.proposedAt, plan.decidedBy, plan.decidedByPerson, plan.decidedAt,
                plan.decisionComment, plan.resultVersion, plan.appliedAt, plan.rolledBackBy, plan.rolledBackAt,
                plan.documentSha256, document);
    }
}
