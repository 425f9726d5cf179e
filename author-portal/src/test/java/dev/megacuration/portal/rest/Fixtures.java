package dev.megacuration.portal.rest;

import static io.restassured.RestAssured.given;

import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.DemoBundleGenerator;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/** Real tokens from the test realm and real bundle releases, shared by the portal's tests. */
final class Fixtures {
    static final String[] FILES = {"LOD0.ctx", "LOD1.ctx", "LOD2.ctx", "metadata.json"};

    private Fixtures() {
    }

    static String token(String user) {
        String realm = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        return given().baseUri(realm).formParams(Map.of("grant_type", "password", "client_id", "megacuration-cli",
                        "username", user, "password", user))
                .when().post("/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** The platform's service account (role admin). */
    static String serviceToken() {
        String realm = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        return given().baseUri(realm).formParams(Map.of("grant_type", "client_credentials",
                        "client_id", "megacuration-service", "client_secret", "service-secret"))
                .when().post("/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** A small generated release (70,000 tokens: 2,187 LOD1 and 68 LOD2 spans). */
    static Path release(long seed) {
        try {
            Path dir = Files.createTempDirectory("release");
            new DemoBundleGenerator(70_000, 16, "test-model", seed).writeTo(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String releasePath(String tenant, String bundle, String version) {
        return "/api/tenants/" + tenant + "/bundles/" + bundle + "/releases/" + version;
    }

    /** A multipart upload of the directory's files with their true checksums. */
    static RequestSpecification uploadOf(String token, Path dir) {
        RequestSpecification request = given().auth().oauth2(token).contentType("multipart/form-data");
        for (String file : FILES) {
            request.multiPart(file, dir.resolve(file).toFile(), "application/octet-stream");
            request.multiPart(checksumField(file), sha256(dir.resolve(file)));
        }
        return request;
    }

    static ValidatableResponse upload(String token, String tenant, String bundle, String version, Path dir) {
        return uploadOf(token, dir).when().post(releasePath(tenant, bundle, version)).then();
    }

    static String checksumField(String file) {
        return (file.endsWith(".ctx") ? file.substring(0, 4).toLowerCase() : "metadata") + "Sha256";
    }

    static String sha256(Path file) {
        try {
            return BundleFiles.sha256(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
