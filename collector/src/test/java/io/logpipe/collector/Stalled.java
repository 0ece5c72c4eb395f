package io.logpipe.collector;

import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;

/** An Awaitility condition: true once the value did not change between two polls (reading stopped). */
public final class Stalled implements Callable<Boolean> {
    private final DoubleSupplier value;
    private double last = -1;

    public Stalled(DoubleSupplier value) {
        this.value = value;
    }

    @Override
    public Boolean call() {
        double now = value.getAsDouble();
        boolean stalled = now == last;
        last = now;
        return stalled;
    }
}
