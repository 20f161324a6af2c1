package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.decision.Decision;
import io.riskgate.policy.PolicyException;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.testing.Engine;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order-size control (controls.order_size, rules/controls.drl) where the default policy's scenarios cannot
 * reach it: the notional limit (the default $250,000 is above the $500 maximum position), a symbol's limit in
 * another case than the order's, a limit of 0, and the problems a policy officer is told.
 */
class OrderSizeControlTest {

    /** The default policy with {@code controls:} replaced by {@code controls} (YAML, two-space indented). */
    private static Path policyWith(Path dir, String controls) {
        // controls: is the policy's last section
        TestRuntime.copyRepoConfig(dir, text -> text.substring(0, text.indexOf("\ncontrols:\n")) + "\ncontrols:\n"
                + controls);
        return dir.resolve("policies/default.yaml");
    }

    @Test
    void aNotionalLimitBelowTheMaximumPositionCapsTheSizedOrder(@TempDir Path dir) throws IOException {
        policyWith(dir, """
                  order_size:
                    max_notional: 300
                """);
        Engine engine = new Engine(dir.resolve("policies"), dir.resolve("rules"));

        // seed 001: the $500 maximum position gives 0.01 BTC at 50,000; a $300 limit gives 300 / 50,000 = 0.006
        Decision d = engine.check(engine.seed001());

        assertThat(d.approved()).isTrue();
        assertThat(d.quantity()).isEqualTo(0.006);
        assertThat(d.sizing().bindingCap()).isEqualTo("ORDER_MAX_NOTIONAL");
        assertThat(Engine.cap(d, "ORDER_MAX_NOTIONAL")).isEqualTo(300);
        assertThat(d.codes()).doesNotContain("ORDER_TOO_LARGE");
    }

    @Test
    void aSymbolsLimitAppliesInAnyCaseAndFallsBackToTheDefaultForWhatItOmits(@TempDir Path dir) throws IOException {
        policyWith(dir, """
                  order_size:
                    max_notional: 400
                    symbols:
                      btcusdt: {max_quantity: 0.005}
                      ETHUSDT: {max_notional: 100}
                """);
        Engine engine = new Engine(dir.resolve("policies"), dir.resolve("rules"));

        // BTCUSDT: 0.005 BTC x 50,000 = $250, under the default $400 it also keeps
        Decision btc = engine.check(engine.seed001());
        assertThat(btc.quantity()).isEqualTo(0.005);
        assertThat(btc.sizing().bindingCap()).isEqualTo("ORDER_MAX_QUANTITY");
        assertThat(Engine.cap(btc, "ORDER_MAX_NOTIONAL")).isEqualTo(400);

        // ETHUSDT: its own $100 replaces the default $400; at 2,500 that is 0.04 ETH
        ObjectNode eth = Requests.set(engine.seed001(), "symbol", "ethusdt");
        Requests.set(eth, "market.price", 2_500.0);
        Requests.set(eth, "market.atr", 75.0);
        Requests.set(eth, "market.ema200", 2_400.0);
        Decision d = engine.check(eth);
        assertThat(d.approved()).isTrue();
        assertThat(d.quantity()).isEqualTo(0.04);
        assertThat(Engine.cap(d, "ORDER_MAX_NOTIONAL")).isEqualTo(100);
    }

    @Test
    void aLimitOfZeroClosesTheSymbolWithOrderTooLarge(@TempDir Path dir) throws IOException {
        policyWith(dir, """
                  order_size:
                    symbols:
                      BTCUSDT: {max_quantity: 0}
                """);
        Engine engine = new Engine(dir.resolve("policies"), dir.resolve("rules"));

        Decision d = engine.check(engine.seed001());

        assertThat(d.approved()).isFalse();
        assertThat(d.codes()).containsExactly("ORDER_TOO_LARGE");
        assertThat(d.rejections().get(0).message()).isEqualTo("every order on BTCUSDT is too large for its "
                + "order-size limit (controls.order_size max_quantity 0 (0 at 50000)): it is below the minimum "
                + "position 5.0");
    }

    @Test
    void everyProblemOfTheSectionIsListedWithItsKey(@TempDir Path dir) throws IOException {
        Path yaml = policyWith(dir, """
                  order_size:
                    max_notional: -1
                    max_qty: 5
                    symbols:
                      BTCUSDT: {}
                      btcusdt: {max_quantity: 1}
                      "BTC USDT": {max_quantity: 1}
                """);

        assertThatThrownBy(() -> new PolicyLoader(dir.resolve("rules")).load(yaml))
                .isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).problems().stream()
                        .map(p -> p.path() + ": " + p.message()).toList()).containsExactlyInAnyOrderElementsOf(List.of(
                        "controls.order_size.max_notional: must be at least 0, was -1",
                        "controls.order_size.max_qty: unknown key (known here: max_quantity, max_notional, symbols)",
                        "controls.order_size.symbols.BTCUSDT: names neither max_quantity nor max_notional",
                        "controls.order_size.symbols.btcusdt: the symbol is listed twice (symbols are matched in "
                                + "any case)",
                        "controls.order_size.symbols.BTC USDT: a symbol is 1-64 letters, digits or / : . _ -, was "
                                + "'BTC USDT'")));
    }
}
