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
        // the accounts in groups, each group on a thread of its own: the group's accounts in turn, each under its
        // lock, its writes handed to the group commit without waiting, and the lock kept until they are durable;
        // so a mark over many accounts waits for a few fsyncs, neither one per account nor a thread per account
        List<String> trading = new ArrayList<>(portfolio.store().accountsTrading(mark.symbol()));
        // one order for every thread that holds several accounts' locks at once, so that two never wait on each other
        // (the query sorts too, but by the database's collation: the order that matters is this one, in Java)
        java.util.Collections.sort(trading);
        List<java.util.concurrent.Future<List<Object>>> perGroup = new ArrayList<>();
        // where another process shares the accounts, each one held takes a database connection: one a thread
        int size = portfolio.sharedAcrossProcesses() ? 1 : GROUP;
        for (int from = 0; from < trading.size(); from += size) {
            List<String> group = trading.subList(from, Math.min(trading.size(), from + size));
            perGroup.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                List<Object> results = new ArrayList<>(java.util.Collections.nCopies(group.size(), null));
                markFrom(group, 0, mark, results);
                return results;
            }, accounts));
        }
        List<ExitInstruction> out = new ArrayList<>();
        RuntimeException failed = null;
        for (var f : perGroup) {
            List<Object> results;
            try {
                results = f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                results = List.of(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while marking accounts", e);
            }
            for (Object r : results) {
                if (r instanceof Throwable t) {
                    // the other accounts' changes stay committed, as when accounts were marked one after another
                    if (failed == null) {
                        failed = t instanceof RuntimeException re ? re : new IllegalStateException(t);
                    }
                } else {
                    @SuppressWarnings("unchecked")
                    List<ExitInstruction> instructions = (List<ExitInstruction>) r;
                    out.addAll(instructions);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
        return out;
    }

    /**
     * Accounts a thread marks in one go, holding their locks: enough that their writes share batches, few enough to
     * nest their locks on a thread's stack. Groups run at once.
     */
    private static final int GROUP = 64;

    /**
     * Marks {@code group} from its {@code i}-th account on: takes the account's lock, marks it and hands its writes
     * over, then (still holding it) marks the rest the same way, and only then waits for its own writes to be durable
     * and finishes. Each account's instructions, or its failure, go to {@code results} at its place; a failure never
     * stops the others.
     */
    private void markFrom(List<String> group, int i, Mark mark, List<Object> results) {
        if (i == group.size()) {
            return;
        }
        String account = group.get(i);
        boolean[] restStarted = {false};
        try {
            CompiledPolicy policy = registry.forAccountOrDefault(account);
            results.set(i, portfolio.withAccount(account, book -> {
                AccountMark started = start(policy, book, mark);
                // once: should the account be marked again (another process wrote it, so its write was refused),
                // the others are already under way
                Throwable rest = null;
                if (!restStarted[0]) {
                    restStarted[0] = true;
                    try {
                        markFrom(group, i + 1, mark, results);
                    } catch (RuntimeException | Error e) {
                        // never left unfinished: its unit was handed over, and the book must follow its outcome
                        rest = e;
                    }
                }
                List<ExitInstruction> done = started.finish();
                if (rest instanceof RuntimeException r) {
                    throw r;
                }
                if (rest instanceof Error err) {
                    throw err;
                }
                return done;
            }));
        } catch (RuntimeException | Error e) {
            results.set(i, e);
            if (!restStarted[0]) {
                markFrom(group, i + 1, mark, results);
            }
        }
    }

    /**
     * Marks run their groups of accounts on up to 256 threads (daemon, started on demand, gone after 10 s idle); beyond
     * that the calling thread marks the group itself.
     */
    private static final java.util.concurrent.ExecutorService ACCOUNTS = new java.util.concurrent.ThreadPoolExecutor(
            0, 256, 10, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "riskgate-mark");
                t.setDaemon(true);
                return t;
            }, new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());

    /**
     * One account's part of a mark, its writes handed to the group commit: {@link #finish}, under the same lock,
     * waits for them and then takes the governor's update into the book.
     */
    private final class AccountMark {
        private final CompiledPolicy policy;
        private final AccountBook book;
        private final Mark mark;
        private final GovernorService.Measured measured;
        private final io.riskgate.database.GroupCommit.Pending<Void> written;
        private final List<ExitInstruction> instructions;
        private final List<ExitInstruction> outstanding;

        AccountMark(CompiledPolicy policy, AccountBook book, Mark mark, GovernorService.Measured measured,
                    io.riskgate.database.GroupCommit.Pending<Void> written, List<ExitInstruction> instructions,
                    List<ExitInstruction> outstanding) {
            this.policy = policy;
            this.book = book;
            this.mark = mark;
            this.measured = measured;
            this.written = written;
            this.instructions = instructions;
            this.outstanding = outstanding;
        }

        List<ExitInstruction> finish() {
            written.await();
            governor.measured(policy, book, mark.timestamp(), measured);
            // counted once, when issued (an outstanding CLOSE answered again is not counted again)
            instructions.forEach(i -> Counter.builder("riskgate.exit.instructions").tag("action", i.action().name())
                    .tag("code", i.code()).register(meters).increment());
            List<ExitInstruction> answer = new ArrayList<>(instructions);
            answer.addAll(outstanding);
            return answer;
        }
    }

    /** Marks the account's live trades on the symbol and hands the writes over. Call under the lock. */
    private AccountMark start(CompiledPolicy policy, AccountBook book, Mark mark) {
        List<Trade> updated = new ArrayList<>();
        List<Trade> changed = new ArrayList<>();
        List<Trade> failed = new ArrayList<>();
        List<ExitInstruction> instructions = new ArrayList<>();
        List<ExitInstruction> outstanding = new ArrayList<>();
        Map<String, TradeState> before = new LinkedHashMap<>();
        // seed 004: the governor's stop tightening at the account's drawdown, from the book this lock holds
        double factor = book.governor().stopTightening();
        // each trade's latest exit instruction's place as stored: the lock held until the unit is durable keeps it
        Map<String, Long> lastInstructions = new java.util.HashMap<>();
        for (Trade t : portfolio.store().liveTrades(book.account(), mark.symbol(), lastInstructions)) {
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
                // a breaker's close (CLOSED_BREAKER) is an emergency instruction, not an exit instruction: none to
                // answer again here, and no walk through the trade's instructions to find none
                if (t.progress().pendingExit() != null && t.progress().pendingExit() != TradeState.CLOSED_BREAKER) {
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
        // the account's clock moves to the mark only when the mark's unit stores something that carries its time (a
        // live trade's last mark, from which a restart resumes the clock): a mark that stores none (no live trade left
        // on the symbol, or every trade's exit rules failed) leaves the clock where the store would put it back
        if (!updated.isEmpty()) {
            book.advance(mark.timestamp());
        }
        // the marked prices move the account's equity: the governor measures the marked book (breakers, position
        // loss), and its update is written in the mark's own unit, so an account waits for one batch, not two. What
        // the unit writes is prepared here, from the marked book (the instructions' JSON, the governor's evaluation),
        // leaving the group commit's one writer thread only the SQL
        GovernorService.Measured measured = new GovernorService.Measured();
        var written = portfolio.applyMarks(book, new Portfolio.Marking(mark.symbol(), mark.price(), mark.timestamp(),
                updated, changed, failed), latest -> {
            Instant recordedAt = clock.instant();
            List<ExitLog.Row> rows = instructions.stream()
                    .map(i -> exitLog.row(i, before.get(i.tradeId()), mark, recordedAt)).toList();
            if (!updated.isEmpty()) {
                governor.measure(policy, book, mark.timestamp(), measured);
            }
            return new Portfolio.MarkWrites(() -> exitLog.insertAll(rows, lastInstructions, latest),
                    () -> governor.store(policy, book, measured));
        });
        return new AccountMark(policy, book, mark, measured, written, instructions, outstanding);
    }
}
