package dev.megacuration.analytics.support;

import static io.restassured.RestAssured.given;

import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/** Real access tokens from the test Keycloak realm. */
public final class Tokens {
    private Tokens() {
    }

    private static String realm() {
        return ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
    }

    /** A demo user's token (password grant of the CLI client; every demo user's password is its name). */
    public static String user(String name) {
        return given().baseUri(realm()).formParams(Map.of("grant_type", "password", "client_id", "megacuration-cli",
                        "username", name, "password", name))
                .when().post("/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** The platform's service account (role admin), as the curation runner uses it. */
    public static String service() {
        return given().baseUri(realm()).formParams(Map.of("grant_type", "client_credentials",
                        "client_id", "megacuration-service", "client_secret", "service-secret"))
                .when().post("/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }
}
