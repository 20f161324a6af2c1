package io.riskgate.governor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands stored governor events to live subscribers (the Server-Sent Events stream). A subscriber that throws is
 * dropped: a slow or gone client never blocks the governor.
 */
public final class EventBus {

    private final List<Consumer<GovernorEvent>> subscribers = new CopyOnWriteArrayList<>();

    public Runnable subscribe(Consumer<GovernorEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    void publish(List<GovernorEvent> events) {
        for (GovernorEvent e : events) {
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
