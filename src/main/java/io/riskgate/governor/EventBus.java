package io.riskgate.governor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands stored governor events to live subscribers (the Server-Sent Events stream), each event once: this process's
 * as they are stored, other processes' on the database as they are found ({@link #relay}). A subscriber that throws
 * is dropped: a slow or gone client never blocks the governor.
 */
public final class EventBus {

    /** How many published events' ids are remembered, so that one relayed again is not streamed twice. */
    static final int REMEMBERED = 10_000;

    private final List<Consumer<GovernorEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final Map<Long, Boolean> published = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    public Runnable subscribe(Consumer<GovernorEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /**
     * Streams stored events that another riskgate process on the database wrote (runtime.InstanceSync); an event
     * this process streamed already is not streamed again.
     */
    public void relay(List<GovernorEvent> events) {
        publish(events);
    }

    void publish(List<GovernorEvent> events) {
        for (GovernorEvent e : events) {
            synchronized (published) {
                if (published.put(e.id(), Boolean.TRUE) != null) {
                    continue;
                }
            }
            for (Consumer<GovernorEvent> s : subscribers) {
                try {
                    s.accept(e);
                } catch (RuntimeException gone) {
                    subscribers.remove(s);
                }
            }
        }
    }

    public int subscribers() {
        return subscribers.size();
    }
}
