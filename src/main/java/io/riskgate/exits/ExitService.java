package io.riskgate.exits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.riskgate.base.Ids;
import io.riskgate.decision.PolicyRef;
import io.riskgate.facts.FiredRule;
import io.riskgate.governor.GovernorService;
import io.riskgate.market.Mark;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.portfolio.AccountBook;
import io.riskgate.portfolio.Portfolio;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeState;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleSetRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a mark to every live trade on its symbol, across accounts: runs the exit rules of the active policy,
 * stores each trade's new stop, state and best/worst price, audits every instruction, and returns the
 * instructions. Each account is handled under its lock in one transaction, so a mark never interleaves with a
 * check, fill or close on the same account.
 *
 * <p>While a full CLOSE is outstanding (issued, its close not yet reported), every later mark on the trade answers
 * with that same instruction again, so a caller that lost the response that carried it is told again; it is
 * audited once.
 *
 * <p>A mark older than the last one a trade has seen, or timed before the trade opened, leaves that trade alone:
 * its high-water mark moves forward in event time only. If the rules cannot be evaluated for a trade (an engine
 * fault), the trade is left exactly as it was, its resting stop stays in force, and an ERROR instruction with code
 * ENGINE_ERROR is returned and audited: exits fail safe, they never loosen a stop.
 */
public final class ExitService {

    private static final Logger log = LoggerFactory.getLogger(ExitService.class);

    private final RuleSetRegistry registry;
    private final Portfolio portfolio;
    private final ExitLog exitLog;
    private final io.riskgate.governor.GovernorService governor;
    private final io.riskgate.market.MarketData market;
    private final Clock clock;
    private final MeterRegistry meters;
    private final java.util.concurrent.Executor accounts;

    /** Marks each account on {@link #ACCOUNTS}' threads, at once. */
    public ExitService(RuleSetRegistry registry, Portfolio portfolio, ExitLog exitLog,
                       io.riskgate.governor.GovernorService governor, io.riskgate.market.MarketData market, Clock clock,
                       MeterRegistry meters) {
        this(registry, portfolio, exitLog, governor, market, clock, meters, ACCOUNTS);
    }

    /**
     * Marks each account with {@code accounts}: a replay passes {@code Runnable::run}, so that its one thread marks
     * them in turn and sees its own writes.
     */
    public ExitService(RuleSetRegistry registry, Portfolio portfolio, ExitLog exitLog,
                       io.riskgate.governor.GovernorService governor, io.riskgate.market.MarketData market, Clock clock,
                       MeterRegistry meters, java.util.concurrent.Executor accounts) {
        this.accounts = accounts;
        this.governor = governor;
        this.market = market;
        this.registry = registry;
        this.portfolio = portfolio;
        this.exitLog = exitLog;
        this.clock = clock;
        this.meters = meters;
    }

    public ExitLog log() {
        return exitLog;
    }

    public List<ExitInstruction> mark(Mark mark) {
        try {
            registry.active().policy().portfolio().requireNotAhead("timestamp", mark.timestamp(), clock.instant());
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("timestamp", e.getMessage());
        }
        // the symbol's latest price riskgate saw: the price collar's reference for later checks
        market.recordMark(mark.symbol(), mark.price(), mark.timestamp());
        // the accounts at once (each under its own lock, as before): their writes share the group commit's
        // batches, so a mark over many accounts waits for a few fsyncs, not one per account in turn
        List<java.util.concurrent.Future<List<ExitInstruction>>> perAccount = new ArrayList<>();
        for (String account : portfolio.store().accountsTrading(mark.symbol())) {
            CompiledPolicy policy = registry.forAccountOrDefault(account);
            perAccount.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> portfolio.withAccount(account,
                    book -> markAccount(policy, book, mark)), accounts));
        }
        List<ExitInstruction> out = new ArrayList<>();
        RuntimeException failed = null;
        for (var f : perAccount) {
            try {
                out.addAll(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                // the other accounts' changes stay committed, as when accounts were marked one after another
                if (failed == null) {
                    failed = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while marking accounts", e);
            }
        }
        if (failed != null) {
            throw failed;
        }
        return out;
    }

    /**
     * Marks run their accounts on up to 256 threads (daemon, started on demand, gone after 10 s idle); beyond that the
     * calling thread marks the account itself. The threads mostly wait: each holds its account's lock until the
     * account's writes are durable, and the more accounts wait at once, the more share one batch of the group commit
     * (a quiet mark over 1,000 trades on 250 accounts: 123 ms with 16 threads, 65 ms with 256; MarkBenchmark).
     */
    private static final java.util.concurrent.ExecutorService ACCOUNTS = new java.util.concurrent.ThreadPoolExecutor(
            0, 256, 10, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "riskgate-mark");
                t.setDaemon(true);
                return t;
            }, new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());

    private List<ExitInstruction> markAccount(CompiledPolicy policy, AccountBook book, Mark mark) {
        book.advance(mark.timestamp());
        List<Trade> updated = new ArrayList<>();
        List<Trade> changed = new ArrayList<>();
        List<Trade> failed = new ArrayList<>();
        List<ExitInstruction> instructions = new ArrayList<>();
        List<ExitInstruction> outstanding = new ArrayList<>();
        Map<String, TradeState> before = new LinkedHashMap<>();
        // seed 004: the governor's stop tightening at the account's drawdown, from the book this lock holds
        double factor = book.governor().stopTightening();
        for (Trade t : portfolio.store().liveTrades(book.account(), mark.symbol())) {
            boolean stale = t.progress().lastMarkAt() != null && mark.timestamp().isBefore(t.progress().lastMarkAt());
            if (stale || mark.timestamp().isBefore(t.openedAt())) {
                continue;
            }
            before.put(t.id(), t.state());
            try {
                ExitEvaluator.Outcome o = ExitEvaluator.evaluate(policy, t, mark, factor);
                updated.add(o.trade());
                if (o.trade().stopLoss() != t.stopLoss() || o.trade().state() != t.state()
                        || !t.progress().sameStagesAs(o.trade().progress())) {
                    changed.add(o.trade());
                }
                instructions.addAll(o.instructions());
                if (t.progress().pendingExit() != null) {
                    // the close asked for earlier is still outstanding: answer with it again (not re-audited),
                    // so a caller that lost a response is told again
                    // with the quantity still open now, should part of it have been closed since
                    exitLog.latestClose(t.id()).map(i -> new ExitInstruction(i.instructionId(), i.tradeId(),
                            i.account(), i.symbol(), i.action(), t.openQuantity(), i.stopLoss(), i.price(),
                            i.reason(), i.rule(), i.code(), i.state(), i.timestamp(), i.policy(), i.firedRules()))
                            .ifPresent(outstanding::add);
                }
            } catch (RuntimeException | Error e) {
                log.error("exit rules failed for trade {} on {}; its stop {} stays in force", t.id(), mark, t.stopLoss(),
                        e);
                failed.add(t);
                instructions.add(new ExitInstruction(Ids.next(), t.id(), t.account(), t.symbol(),
                        ExitAction.ERROR, t.openQuantity(), t.stopLoss(), null, "the exit rules could not be evaluated ("
                        + e + "); nothing changed and the stop " + t.stopLoss() + " stays in force", "engine",
                        "ENGINE_ERROR", t.state(), mark.timestamp(),
                        PolicyRef.of(policy),
                        List.<FiredRule>of()));
            }
        }
        // the marked prices move the account's equity: the governor measures the marked book (breakers, position
        // loss), and its update is written in the mark's own unit, so an account waits for one batch, not two. What
        // the unit writes is prepared here, from the marked book (the instructions' JSON, the governor's evaluation),
        // leaving the group commit's one writer thread only the SQL
        GovernorService.Measured measured = new GovernorService.Measured();
        portfolio.applyMarks(book, new Portfolio.Marking(mark.symbol(), mark.price(), mark.timestamp(), updated,
                changed, failed), () -> {
            Instant recordedAt = clock.instant();
            List<ExitLog.Row> rows = instructions.stream()
                    .map(i -> exitLog.row(i, before.get(i.tradeId()), mark, recordedAt)).toList();
            if (!updated.isEmpty()) {
                governor.measure(policy, book, mark.timestamp(), measured);
            }
            return () -> {
                rows.forEach(exitLog::insert);
                governor.store(policy, book, measured);
            };
        });
        governor.measured(policy, book, mark.timestamp(), measured);
        // counted once, when issued (an outstanding CLOSE answered again is not counted again)
        instructions.forEach(i -> Counter.builder("riskgate.exit.instructions").tag("action", i.action().name())
                .tag("code", i.code()).register(meters).increment());
        List<ExitInstruction> answer = new ArrayList<>(instructions);
        answer.addAll(outstanding);
        return answer;
    }
}
