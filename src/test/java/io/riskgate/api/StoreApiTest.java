package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.database.Dialect;
import io.riskgate.testing.TestStore;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The REST suite runs once on each store (pom.xml): this says which one the server of this run stores in, so a
 * PostgreSQL run that quietly fell back to H2 fails.
 */
@RiskgateServerTest
class StoreApiTest {

    @Autowired
    DataSource dataSource;

    @Test
    void theServerStoresWhereThisRunSays() {
        assertThat(Dialect.of(dataSource)).isEqualTo(TestStore.postgres() ? Dialect.POSTGRESQL : Dialect.H2);
    }
}
