package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.riskgate.security.ApiKeys;
import io.riskgate.security.Role;
import io.riskgate.testing.Requests;
import io.riskgate.testing.ServerConfig;
import io.riskgate.testing.TestKeys;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Credentials end to end on a server of its own: the bootstrap ADMIN key file, creating, listing, revoking and
 * expiring API keys over REST, OIDC bearer tokens (a test RSA key pair in this package's resources stands in for the
 * issuer's key), and the per-principal rate limit (20 requests a second, bursts of 20, so that 429 comes quickly).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CredentialsApiTest {

    static final Path CONFIG;
    static final KeyPair ISSUER;

    static {
        try {
            CONFIG = TestRuntime.copyRepoConfig(Files.createTempDirectory("riskgate-credentials-"));
            ISSUER = keyPair("issuer-key.pem");
            Files.writeString(CONFIG.resolve("issuer.pem"), "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(ISSUER.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ServerConfig.register(registry, CONFIG, "credentials");
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location",
                () -> "file:" + CONFIG.resolve("issuer.pem"));
        // a slow refill, so that the rate test holds on a busy machine: 60 requests at up to 300 ms each still empty a
        // bucket of 20 refilled at 2 a second
        registry.add("riskgate.security.rate-limit.per-second", () -> "2");
        registry.add("riskgate.security.rate-limit.burst", () -> "20");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        ServerConfig.delete(CONFIG);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys keys;

    HttpApi admin;

    @BeforeEach
    void connect() throws IOException {
        admin = new HttpApi(port, Files.readString(CONFIG.resolve("admin.key")).trim());
    }

    @Test
    void theFirstStartWritesAnAdminKeyOnlyItsOwnerCanRead() throws IOException {
        Path file = CONFIG.resolve("admin.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file).trim()).matches(ApiKeys.FORMAT);
        var list = admin.get("/api/v1/keys");
        assertThat(list.status()).isEqualTo(200);
        // the list names keys, never a key or its hash
        assertThat(list.raw()).contains("bootstrap-admin").doesNotContain(Files.readString(file).trim())
                .doesNotContain("hash");
    }

    @Test
    void aCreatedKeyWorksAtOnceAndARevokedOneIsRefusedAtOnce() {
        var created = admin.post("/api/v1/keys", Map.of("name", "exec-revoke", "roles", List.of("TRADER"),
                "accounts", List.of("cred-a")));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String key = created.body().get("key").asText();
        String id = created.body().at("/apiKey/id").asText();
        assertThat(created.body().at("/apiKey/createdBy").asText()).isEqualTo("bootstrap-admin");
        HttpApi trader = admin.as(key);
        assertThat(trader.get("/api/v1/accounts/cred-a").status()).isEqualTo(200);
        assertThat(trader.get("/api/v1/accounts/cred-b").status()).isEqualTo(403);

        var revoked = admin.delete("/api/v1/keys/" + id);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body().get("revokedBy").asText()).isEqualTo("bootstrap-admin");
        var refused = trader.get("/api/v1/accounts/cred-a");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(admin.delete("/api/v1/keys/" + id).status()).isEqualTo(409);
    }

    @Test
    void keySpecsAreCheckedAllAtOnce() {
        var r = admin.post("/api/v1/keys", Map.of("name", "bad name!", "roles", List.of("TRADER", "GOD"),
                "expiresInDays", 9999));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).contains("name", "roles", "expiresInDays");
        // two active keys cannot share a name: the name is the actor officer actions record
        assertThat(admin.post("/api/v1/keys", Map.of("name", "dup-name", "roles", List.of("AUDITOR"))).status())
                .isEqualTo(201);
        assertThat(admin.post("/api/v1/keys", Map.of("name", "dup-name", "roles", List.of("AUDITOR"))).status())
                .isEqualTo(409);
    }

    @Test
    void theLastAdminKeyCannotBeRevoked() {
        String id = keys.list().stream().filter(k -> k.name().equals("bootstrap-admin")).findFirst().orElseThrow()
                .id();
        var r = admin.delete("/api/v1/keys/" + id);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body().get("detail").asText()).contains("last active ADMIN key");
    }

    @Test
    void malformedAndForeignCredentialsAre401() {
        HttpApi anonymous = admin.as(null);
        assertThat(anonymous.get("/api/v1/keys").status()).isEqualTo(401);
        assertThat(admin.as("rg_aaaaaaaaaa_" + "A".repeat(43)).get("/api/v1/keys").status()).isEqualTo(401);
        assertThat(admin.as("not-a-jwt").get("/api/v1/keys").status()).isEqualTo(401);
        // a token signed by someone else than the configured issuer
        assertThat(admin.as(token(otherKey(), "mallory", List.of("ADMIN"), List.of())).get("/api/v1/keys").status())
                .isEqualTo(401);
    }

    @Test
    void anOidcTokenActsWithItsRolesAndAccounts() {
        HttpApi officer = admin.as(token((RSAPrivateKey) ISSUER.getPrivate(), "j.smith", List.of("OFFICER"),
                List.of()));
        assertThat(officer.get("/api/v1/policies/active").status()).isEqualTo(200);
        assertThat(officer.get("/api/v1/keys").status()).isEqualTo(403);
        HttpApi trader = admin.as(token((RSAPrivateKey) ISSUER.getPrivate(), "desk-1", List.of("TRADER"),
                List.of("oidc-a")));
        var check = trader.post("/api/v1/checks", Requests.set(Requests.seed001(), "account", "oidc-a"));
        assertThat(check.status()).as(check.raw()).isEqualTo(200);
        assertThat(trader.post("/api/v1/checks", Requests.set(Requests.seed001(), "account", "oidc-b")).status())
                .isEqualTo(403);
        // a token with no riskgate role authenticates but may do nothing
        HttpApi nobody = admin.as(token((RSAPrivateKey) ISSUER.getPrivate(), "guest", List.of("viewer"), List.of()));
        assertThat(nobody.get("/api/v1/policies/active").status()).isEqualTo(403);
    }

    @Test
    void aCallerOverItsRateIsToldWhenToComeBack() {
        String key = TestKeys.key(keys, Set.of(Role.AUDITOR), Set.of());
        HttpApi auditor = admin.as(key);
        int ok = 0;
        HttpApi.Response limited = null;
        // a burst of 20 and 2 a second: requests of a few ms each empty the bucket within about 21 (a token comes
        // back every 500 ms), and even at 300 ms a request the 20 + 18 tokens of 60 requests run out
        for (int i = 0; i < 60 && limited == null; i++) {
            HttpApi.Response r = auditor.get("/api/v1/policies/activations?limit=1");
            if (r.status() == 429) {
                limited = r;
            } else {
                assertThat(r.status()).isEqualTo(200);
                ok++;
            }
        }
        assertThat(limited).as("429 within 60 requests").isNotNull();
        assertThat(ok).isBetween(20, 59);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(limited.body().get("detail").asText()).contains("retry after");
        // another principal is not slowed by it
        assertThat(admin.as(TestKeys.key(keys, Set.of(Role.AUDITOR), Set.of()))
                .get("/api/v1/policies/activations?limit=1").status()).isEqualTo(200);
    }

    /** A key the server does not trust: signed by it, a well-formed token is still refused. */
    private static RSAPrivateKey otherKey() {
        try {
            return (RSAPrivateKey) keyPair("stranger-key.pem").getPrivate();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A 2048-bit RSA key pair from a PKCS#8 file beside this class (made once with {@code openssl genpkey}; test keys
     * only). Generating them here cost seconds of the suite's CPU per run: the tests run without C2, whose
     * BigInteger intrinsics make key generation fast.
     */
    private static KeyPair keyPair(String resource) throws IOException, java.security.GeneralSecurityException {
        String pem;
        try (var in = CredentialsApiTest.class.getResourceAsStream(resource)) {
            pem = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
        return new KeyPair(rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())), key);
    }

    private static String token(RSAPrivateKey key, String user, List<String> roles, List<String> accounts) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("sub-" + user).claim("preferred_username", user)
                    .claim("roles", roles).claim("accounts", accounts).issuer("https://idp.example")
                    .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
