package io.riskgate.database;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.core.InfrastructureProxy;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The group commit's view of the database: while a unit of work runs on the writer, every write statement it
 * executes (its SQL and bound parameters) is handed to a {@link Recorder}, so that the batch can be journaled as it
 * ran. Reads are not recorded; a statement that fails is not recorded (it changed nothing).
 *
 * <p>It is an {@link InfrastructureProxy} of the data source it wraps: Spring binds the batch's transaction to the
 * wrapped data source, so a store holding the plain data source joins the batch (and its writes are recorded) as
 * before.
 */
final class RecordingDataSource extends DelegatingDataSource implements InfrastructureProxy {

    /** Receives the writes of the unit running now, or says no unit is being recorded. */
    interface Recorder {
        /** Whether writes on this thread are being recorded now. */
        boolean recording();

        /** One executed write statement. */
        void record(String sql, Object[] parameters);
    }

    private final Recorder recorder;

    RecordingDataSource(DataSource target, Recorder recorder) {
        super(target);
        this.recorder = recorder;
    }

    @Override
    public Object getWrappedObject() {
        return obtainTargetDataSource();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(obtainTargetDataSource().getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(obtainTargetDataSource().getConnection(username, password));
    }

    private Connection wrap(Connection target) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new ConnectionHandler(target));
    }

    /** Whether {@code sql} changes data (anything but a query), judged by its first word. */
    static boolean isWrite(String sql) {
        String s = sql.stripLeading();
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        String verb = s.substring(0, end).toUpperCase(Locale.ROOT);
        return !(verb.equals("SELECT") || verb.equals("VALUES") || verb.equals("WITH") || verb.equals("TABLE")
                || verb.equals("SHOW") || verb.equals("EXPLAIN"));
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection target;

        ConnectionHandler(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            if (name.equals("unwrap") && args[0] == Connection.class) {
                return target;
            }
            Object result = RecordingDataSource.invoke(target, m, args);
            if (name.equals("prepareStatement") && result instanceof PreparedStatement ps) {
                return Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                        new Class<?>[] {PreparedStatement.class}, new StatementHandler(ps, (String) args[0]));
            }
            if (name.equals("createStatement") && result instanceof Statement st) {
                return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                        new StatementHandler(st, null));
            }
            return result;
        }
    }

    /** A statement's bound parameters and batch, recorded when it executes on a recorded unit. */
    private final class StatementHandler implements InvocationHandler {
        private static final Object NULL = new Object();

        private final Statement target;
        private final String sql;
        private Object[] bound = new Object[8];
        private int count;
        private final List<Object[]> batch = new ArrayList<>();
        private final List<String> sqlBatch = new ArrayList<>();

        StatementHandler(Statement target, String sql) {
            this.target = target;
            this.sql = sql;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            int arity = args == null ? 0 : args.length;
            if (sql != null && name.startsWith("set") && arity >= 2 && args[0] instanceof Integer index) {
                bind(index, name.equals("setNull") ? NULL : args[1]);
            } else if (name.equals("clearParameters")) {
                Arrays.fill(bound, null);
                count = 0;
            }
            Object result = RecordingDataSource.invoke(target, m, args);
            switch (name) {
                case "addBatch" -> {
                    if (arity == 0) {
                        batch.add(parameters());
                    } else {
                        sqlBatch.add((String) args[0]);
                    }
                }
                case "clearBatch" -> {
                    batch.clear();
                    sqlBatch.clear();
                }
                case "execute", "executeUpdate", "executeLargeUpdate" -> {
                    if (arity == 0) {
                        record(sql, parameters());
                    } else {
                        record((String) args[0], new Object[0]);
                    }
                }
                case "executeBatch", "executeLargeBatch" -> {
                    for (Object[] p : batch) {
                        record(sql, p);
                    }
                    for (String s : sqlBatch) {
                        record(s, new Object[0]);
                    }
                    batch.clear();
                    sqlBatch.clear();
                }
                default -> {
                }
            }
            return result;
        }

        private void bind(int index, Object value) {
            if (index > bound.length) {
                bound = Arrays.copyOf(bound, Math.max(index, bound.length * 2));
            }
            bound[index - 1] = value;
            count = Math.max(count, index);
        }

        private Object[] parameters() {
            Object[] p = new Object[count];
            for (int i = 0; i < count; i++) {
                p[i] = bound[i] == NULL ? null : bound[i];
            }
            return p;
        }

        private void record(String statement, Object[] parameters) {
            if (statement != null && recorder.recording() && isWrite(statement)) {
                recorder.record(statement, parameters);
            }
        }
    }
}
