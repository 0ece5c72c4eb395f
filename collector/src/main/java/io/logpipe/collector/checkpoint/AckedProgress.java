package io.logpipe.collector.checkpoint;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The acknowledged watermark of one source (one file path, one journal, one event stream).
 * Positions are issued in reading order; acknowledgements may come in any order (a source's
 * records can span partitions); the watermark moves only over an unbroken run of
 * acknowledged positions from the oldest one.
 *
 * @param <P> the position type, any value Jackson can write
 */
public final class AckedProgress<P> {
    private final ArrayDeque<Ticket<P>> pending = new ArrayDeque<>();
    private final Consumer<P> onAdvance;
    private P acknowledged;

    AckedProgress(P acknowledged, Consumer<P> onAdvance) {
        this.acknowledged = acknowledged;
        this.onAdvance = onAdvance;
    }

    /** Registers the position after a record about to be sent; the ticket is acknowledged by the publisher. */
    public Ticket<P> issue(P positionAfter) {
        Ticket<P> ticket = new Ticket<>(this, positionAfter);
        synchronized (this) {
            pending.addLast(ticket);
        }
        return ticket;
    }

    /** The newest position whose record and all earlier ones Kafka has acknowledged. */
    public synchronized P acknowledged() {
        return acknowledged;
    }

    /** Records issued but not acknowledged yet. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    private synchronized void expectAnother(Ticket<P> ticket) {
        if (ticket.unacknowledged == 0) {
            throw new IllegalStateException("ticket already acknowledged: its position may be the checkpoint");
        }
        ticket.unacknowledged++;
    }

    private void acknowledge(Ticket<P> ticket) {
        P advancedTo = null;
        synchronized (this) {
            if (ticket.unacknowledged == 0 || --ticket.unacknowledged > 0) {
                return;
            }
            while (!pending.isEmpty() && pending.peekFirst().unacknowledged == 0) {
                advancedTo = pending.pollFirst().position;
            }
            if (advancedTo != null) {
                acknowledged = advancedTo;
            }
        }
        if (advancedTo != null) {
            onAdvance.accept(advancedTo);
        }
    }

    /**
     * One issued position; {@link #acknowledge()} is called once Kafka has the record. A record
     * that goes to Kafka as several (a line too large for one) asks for one acknowledgement per
     * part with {@link #expectAnother()}, so the position becomes the checkpoint only once every
     * part is in Kafka.
     */
    public static final class Ticket<P> {
        private final AckedProgress<P> progress;
        private final P position;
        // guarded by progress
        private int unacknowledged = 1;

        private Ticket(AckedProgress<P> progress, P position) {
            this.progress = progress;
            this.position = position;
        }

        public void acknowledge() {
            progress.acknowledge(this);
        }

        /**
         * One more acknowledgement is needed before this ticket is done. The caller must still
         * owe one of its own (acknowledging it after the last part is sent), or a part acknowledged
         * before the next is sent would let the checkpoint pass the line.
         */
        public void expectAnother() {
            progress.expectAnother(this);
        }

        public P position() {
            return position;
        }
    }
}
