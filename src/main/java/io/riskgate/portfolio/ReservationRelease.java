package io.riskgate.portfolio;

/** Why an approval's reservation stopped holding its slot and notional. */
public enum ReservationRelease {
    /** A fill opened the trade it reserved for. */
    FILLED,
    /** The caller cancelled the approval. */
    CANCELLED,
    /** Its time-to-live ran out by event time before a fill. */
    EXPIRED
}
