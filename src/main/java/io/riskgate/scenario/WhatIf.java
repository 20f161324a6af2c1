package io.riskgate.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.audit.AuditQuery;
import io.riskgate.audit.AuditRecord;
import io.riskgate.audit.AuditStore;
import io.riskgate.check.CheckPipeline;
import io.riskgate.decision.AccountState;
import io.riskgate.decision.Decision;
import io.riskgate.decision.Outcome;
import io.riskgate.decision.PolicyRef;
import io.riskgate.facts.Adjustment;
import io.riskgate.facts.Rejection;
import io.riskgate.market.MarketData;
import io.riskgate.market.PortfolioRisk;
import io.riskgate.order.CheckRequest;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.policy.PolicyException;
import io.riskgate.policy.Side;
import io.riskgate.portfolio.AccountBook;
import io.riskgate.portfolio.ActiveBreaker;
import io.riskgate.portfolio.EquitySnapshot;
import io.riskgate.portfolio.GovernorState;
import io.riskgate.portfolio.Multiplier;
import io.riskgate.portfolio.Position;
import io.riskgate.portfolio.TradingState;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleSetCompiler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What-if: audited decisions decided again under a candidate policy, in memory, without touching live state. Each
 * decision is replayed as its account stood, from what the audit kept of it: the order as received, the equity,
 * the open positions and reservations (their count, total exposure, the order's asset and strategy exposure), the
 * breakers that held the account and the governor's multipliers. A decision changes when its outcome, its
 * rejection codes or its quantity differ; the rules that caused it are those that fired (or rejected, or adjusted)
 * on one side only, leaving out the notes of the controls that rest on history (a daily risk budget's note appears
 * once the day's risk is above zero, which the replayed account, rebuilt without the approvals before it, never is).
 */
public final class WhatIf {

    /** One decision the candidate would decide differently. */
    public record Change(String decisionId, String account, String symbol, Instant at, Outcome before,
                         List<String> beforeCodes, double beforeQuantity, Outcome after, List<String> afterCodes,
                         double afterQuantity, List<String> causedBy) {
    }

    public record Report(PolicyRef candidate, int evaluated, int changed, List<Change> changes,
                         List<String> skipped) {
    }

    /**
     * What a what-if replays against: the audit holding the decisions, and the market data, clock and JSON mapper
     * of the check pipeline (the service's own, or those of a database the CLI opened).
     */
    public record Replay(AuditStore audit, MarketData market, Clock clock, ObjectMapper json) {
    }

    private WhatIf() {
    }

    /**
     * The what-if, one path for the REST API and the CLI: compiles {@code candidate} (a bad one throws
     * {@link PolicyException} with every problem before {@code replay} is asked for, so a bad
     * candidate is told before a missing database), reads the decisions {@code decisions} selects from the replay's
     * audit, decides them again under the candidate ({@link #run}) and frees the candidate's rule base.
     */
    public static Report preview(Candidate candidate, AuditQuery decisions, Supplier<Replay> replay) {
        CompiledPolicy compiled = candidate.compile();
        try {
            Replay r = replay.get();
            return run(compiled, r.audit().search(decisions).items(), new CheckPipeline(new PortfolioRisk(r.market())));
        } finally {
            RuleSetCompiler.release(compiled.container(), compiled.releaseId());
        }
    }

    public static Report run(CompiledPolicy candidate, List<AuditRecord> decisions, CheckPipeline pipeline) {
        List<Change> changes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int evaluated = 0;
        for (AuditRecord r : decisions) {
            Decision d = r.decision();
            if (d.accountState() == null || d.outcome() == Outcome.FAILED) {
                skipped.add(d.decisionId() + ": " + d.outcome() + " (the engine could not decide it then)");
                continue;
            }
            Optional<String> history = historyBound(d);
            if (history.isPresent()) {
                skipped.add(d.decisionId() + ": " + history.get());
                continue;
            }
            CheckRequest request;
            try {
                request = CheckRequestParser.parse(r.request());
            } catch (RuntimeException e) {
                skipped.add(d.decisionId() + ": its request no longer parses (" + e.getMessage() + ")");
                continue;
            }
            evaluated++;
            Decision after;
            try {
                // the account as the audited decision saw it, its governor state included; the same pipeline as live
                AccountBook book = book(candidate, d, request);
                after = pipeline.decide(d.decisionId(), candidate, request, book, book.governor(), d.timestamp(),
                        d.timestamp());
            } catch (RuntimeException e) {
                skipped.add(d.decisionId() + ": the candidate could not decide it (" + e + ")");
                continue;
            }
            boolean sameOutcome = d.outcome() == after.outcome();
            boolean sameCodes = new java.util.TreeSet<>(d.codes()).equals(new java.util.TreeSet<>(after.codes()));
            boolean sameQuantity = Math.abs(d.quantity() - after.quantity()) <= 1e-9;
            if (!(sameOutcome && sameCodes && sameQuantity)) {
                changes.add(new Change(d.decisionId(), d.account(), d.symbol(), d.timestamp(), d.outcome(), d.codes(),
                        d.quantity(), after.outcome(), after.codes(), after.quantity(), causes(d, after)));
            }
        }
        return new Report(PolicyRef.of(candidate), evaluated,
                changes.size(), changes, skipped);
    }

    /**
     * The market-access controls that rest on what happened before a decision, which its audit record does not keep:
     * the checks and approvals before it, the stop-outs, the firm's other accounts, the kill switch, the account's
     * clock. A decision they refused or sized is not replayed (it would show as changed for a reason the candidate
     * has nothing to do with).
     */
    static final Set<String> HISTORY_CODES = Set.of("ORDER_RATE_EXCEEDED", "DUPLICATE_ORDER", "SYMBOL_COOLDOWN",
            "STOPLOSS_GUARD", "DAILY_RISK_BUDGET", "FIRM_EXPOSURE_LIMIT", CheckPipeline.KILL_SWITCH);
    private static final Set<String> HISTORY_CAPS = Set.of("DAILY_RISK_BUDGET", "FIRM_DAILY_RISK",
            "FIRM_GROSS_EXPOSURE");
    private static final String STALE_BY_CLOCK = "Market data older than the account's clock";

    /** Why {@code d} rests on history what-if cannot replay, if it does. */
    private static Optional<String> historyBound(Decision d) {
        for (var x : d.rejections()) {
            if (HISTORY_CODES.contains(x.code()) || x.rule().equals(STALE_BY_CLOCK)) {
                return Optional.of("refused by " + x.code() + ", which rests on the account's history then (earlier "
                        + "checks, approvals and stop-outs, the firm's other accounts, its clock): not replayed");
            }
        }
        if (d.approved() && d.sizing() != null && HISTORY_CAPS.contains(d.sizing().bindingCap())) {
            return Optional.of("sized by " + d.sizing().bindingCap() + ", which rests on the account's and the "
                    + "firm's history then: not replayed");
        }
        return Optional.empty();
    }

    /** Codes of the rules that fired, rejected or adjusted on one side only. */
    private static List<String> causes(Decision before, Decision after) {
        Set<String> a = signature(before);
        Set<String> b = signature(after);
        Set<String> out = new LinkedHashSet<>();
        a.stream().filter(x -> !b.contains(x)).forEach(out::add);
        b.stream().filter(x -> !a.contains(x)).forEach(out::add);
        return out.stream().map(x -> x.substring(x.indexOf(':') + 1)).distinct().toList();
    }

    private static Set<String> signature(Decision d) {
        Set<String> s = new LinkedHashSet<>();
        d.firedRuleDetails().forEach(f -> s.add("fired:" + f.code()));
        d.rejections().forEach(x -> s.add("rejected:" + x.code()));
        // a history control's note (DAILY_RISK_BUDGET: "daily risk used 22.50 of 1000.00") is there or not by the
        // approvals before the decision, not by the policy: the replayed account has none, so it is no cause
        d.adjustments().stream().filter(x -> !HISTORY_CODES.contains(x.code()) && !HISTORY_CAPS.contains(x.code()))
                .forEach(x -> s.add("adjusted " + x.factor() + ":" + x.code()));
        return s;
    }

    /** The account as the audit kept it at the decision: equity, exposures and slots, breakers, multipliers. */
    static AccountBook book(CompiledPolicy policy, Decision d, CheckRequest request) {
        AccountState st = d.accountState();
        double price = request.market().price();
        int slots = st.openPositions() + st.reservedTrades();
        List<Position> positions = new ArrayList<>();
        double left = st.exposure();
        String asset = policy.policy().portfolio().assetOf(request.symbol());
        if (st.assetExposure() > 0) {
            positions.add(position(positions.size(), request.symbol(), asset, null, st.assetExposure(), price));
            left -= st.assetExposure();
        }
        double strategyOnly = st.strategyExposure() == null ? 0 : st.strategyExposure() - st.assetExposure();
        if (strategyOnly > 0 && request.strategy().isPresent()) {
            positions.add(position(positions.size(), "WHATIFSTRATEGY", "WHATIFSTRATEGY", request.strategy().get(),
                    strategyOnly, price));
            left -= strategyOnly;
        }
        if (left > 1e-9) {
            positions.add(position(positions.size(), "WHATIFOTHER", "WHATIFOTHER", null, left, price));
        }
        while (positions.size() < slots) {
            positions.add(position(positions.size(), "WHATIFSLOT", "WHATIFSLOT", null, 0, price));
        }
        EquitySnapshot equity = st.equity() == null ? null
                : new EquitySnapshot(d.account(), st.equity(), st.equityAt() == null ? d.timestamp() : st.equityAt());
        AccountBook book = AccountBook.preview(d.account(), equity, positions, Map.of(), List.of());
        List<ActiveBreaker> breakers = new ArrayList<>();
        for (Rejection r : d.rejections()) {
            if (r.rule().equals("Account not active")) {
                breakers.add(new ActiveBreaker(r.code(), r.code(), TradingState.HALTED, null, null, d.timestamp(),
                        null, r.message(), "audit"));
            }
        }
        List<Multiplier> multipliers = new ArrayList<>();
        for (Adjustment a : d.adjustments()) {
            if (a.group() != null && !a.group().equals(Adjustment.BUDGET) && !a.code().equals("VOLATILITY_FACTOR") && !a.code().equals("LOW_VOLATILITY_FACTOR")) {
                multipliers.add(new Multiplier(a.code(), a.rule(), a.factor(), a.group(), a.reason()));
            }
        }
        book.governor(new GovernorState(breakers.isEmpty() ? TradingState.ACTIVE : TradingState.HALTED, 0, null, null,
                null, null, null, null, null, false, false, Set.of(), Set.of(), breakers, multipliers, 1));
        return book;
    }

    private static Position position(int n, String symbol, String asset, String strategy, double notional,
                                     double price) {
        String id = "whatif-" + n;
        return new Position(id, id, "whatif", symbol, asset, strategy, Side.LONG, notional / price, price,
                price * 0.95, price * 1.1, Instant.EPOCH);
    }
}
