package io.riskgate.api;

import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.security.Role;
import io.riskgate.testing.TestKeys;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code GET /api/v1/accounts}, the console's overview (issue 18): every account the caller may read with its
 * trading state; a trader's key lists its own accounts and no other.
 */
@RiskgateServerTest
class AccountsListApiTest {

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    @Test
    void anOfficerListsEveryAccountATraderItsOwn() {
        String mine = "list-own-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "list-other-" + UUID.randomUUID().toString().substring(0, 8);
        HttpApi superuser = new HttpApi(port, TestKeys.superuser(keys));
        superuser.check(set(seed001(), "account", mine));
        superuser.check(set(seed001(), "account", other));

        JsonNode all = new HttpApi(port, TestKeys.named(keys, "list-officer")).get("/api/v1/accounts").body();
        assertThat(all.findValuesAsText("account")).contains(mine, other);
        JsonNode listed = all.findParents("account").stream().filter(a -> a.path("account").asText().equals(mine))
                .findFirst().orElseThrow();
        // seed 001's approval leaves the account ACTIVE, at its 10,000 equity
        assertThat(listed.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(listed.path("equity").asDouble()).isEqualTo(10_000.0);
        // the limits its drawdowns are measured against, from the default policy (seed 001: daily 3%, weekly 10%,
        // circuit breaker 5% from the peak; seed 003: maximum drawdown 15%)
        assertThat(listed.path("limits").path("policyId").asText()).isEqualTo("default");
        assertThat(listed.path("limits").path("dailyLoss").asDouble()).isEqualTo(0.03);
        assertThat(listed.path("limits").path("weeklyLoss").asDouble()).isEqualTo(0.10);
        assertThat(listed.path("limits").path("circuitBreaker").asDouble()).isEqualTo(0.05);
        assertThat(listed.path("limits").path("maxDrawdown").asDouble()).isEqualTo(0.15);

        JsonNode own = new HttpApi(port, TestKeys.key(keys, Set.of(Role.TRADER), Set.of(mine))).get("/api/v1/accounts")
                .body();
        assertThat(own.findValuesAsText("account")).containsExactly(mine);
    }
}
