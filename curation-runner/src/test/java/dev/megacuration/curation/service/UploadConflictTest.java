package dev.megacuration.curation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.megacuration.curation.client.PortalClient;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.WebApplicationException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What apply says when its upload is refused with 409 (a narrow unit test of one decision; the whole flow,
 * killed runs included, is CurationCrashE2ETest on the real portal): a plan applied meanwhile by a killed
 * run is reported as applied, any other conflict stays the upload's.
 */
class UploadConflictTest {
    private static final UUID PLAN = UUID.randomUUID();
    private final List<String> calls = new ArrayList<>();

    /** A portal whose upload and startApply throw what they are given (null: startApply answers). */
    private PortalClient portal(RuntimeException onUpload, RuntimeException onStartApply) {
        return (PortalClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PortalClient.class},
                (proxy, method, args) -> {
                    calls.add(method.getName());
                    RuntimeException failure = switch (method.getName()) {
                        case "upload" -> onUpload;
                        case "startApply" -> onStartApply;
                        default -> throw new AssertionError("unexpected call " + method.getName());
                    };
                    if (failure != null) {
                        throw failure;
                    }
                    return null;
                });
    }

    @Test
    void aPlanAppliedMeanwhileIsReportedAsApplied() {
        ClientErrorException applied = new ClientErrorException("Plan " + PLAN + " is applied, not approved or applying", 409);
        WebApplicationException thrown = assertThrows(WebApplicationException.class, () -> CurationService.upload(
                portal(new ClientErrorException("That already exists", 409), applied), "acme", "b", PLAN, "1.0.0+c1", null));
        assertSame(applied, thrown);
        assertEquals(List.of("upload", "startApply"), calls);
    }

    @Test
    void anotherConflictStaysTheUploads() {
        ClientErrorException exists = new ClientErrorException("That already exists", 409);
        assertSame(exists, assertThrows(WebApplicationException.class, () -> CurationService.upload(
                portal(exists, null), "acme", "b", PLAN, "1.0.0+c1", null)));
        assertEquals(List.of("upload", "startApply"), calls);
    }

    @Test
    void otherFailuresAskNothing() {
        ClientErrorException invalid = new ClientErrorException("bad checksum", 422);
        assertSame(invalid, assertThrows(WebApplicationException.class, () -> CurationService.upload(
                portal(invalid, null), "acme", "b", PLAN, "1.0.0+c1", null)));
        assertEquals(List.of("upload"), calls);
    }
}
