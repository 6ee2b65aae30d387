package cdna.sim;

import cdna.hypervisor.Buffer;
import cdna.hypervisor.IoBuffer;
import cdna.nic.Descriptor;
import cdna.nic.Dir;
import cdna.nic.Frame;
import cdna.nic.Segment;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One step of a run, as data: random runs, the fuzzer and the shrinker all
 * deal in lists of these, and {@link #toJava()} prints a step as the call a
 * JUnit test makes.  Guest-initiated steps go through {@link HostSystem#as},
 * so a guest naming a context it does not own is refused as it would be in a
 * real run.
 */
public sealed interface Action {
    /** Applies the step; returns whether it was enabled. */
    boolean apply(HostSystem s);

    /** The same step as a line of Java against a {@code HostSystem sys}. */
    String toJava();

    private static String q(String s) { return s == null ? "null" : "\"" + s + "\""; }

    private static String lit(long v) {
        if (v == Long.MAX_VALUE) return "Long.MAX_VALUE";
        if (v == Long.MIN_VALUE) return "Long.MIN_VALUE";
        return (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) ? v + "L" : Long.toString(v);
    }

    // TLA+: AllocatePage(g, p)
    record AllocatePage(String g, int p) implements Action {
        public boolean apply(HostSystem s) { return s.allocatePage(g, p); }
        public String toJava() { return "sys.allocatePage(" + q(g) + ", " + p + ");"; }
    }

    // TLA+: FreePage(g, p)
    record FreePage(String g, int p) implements Action {
        public boolean apply(HostSystem s) { return s.as(g).freePage(p); }
        public String toJava() { return "sys.as(" + q(g) + ").freePage(" + p + ");"; }
    }

    // TLA+: TransferPage(g, h, p)
    record TransferPage(String g, String h, int p) implements Action {
        public boolean apply(HostSystem s) { return s.as(g).transferPage(h, p); }
        public String toJava() { return "sys.as(" + q(g) + ").transferPage(" + q(h) + ", " + p + ");"; }
    }

    // TLA+: PostDescriptor(c, b), asked for by guest g
    record PostDescriptor(String g, String c, Dir d, long addr, long len) implements Action {
        public boolean apply(HostSystem s) { return s.as(g).postDescriptor(c, d, new Buffer(addr, len)); }
        public String toJava() {
            return "sys.as(" + q(g) + ").postDescriptor(" + q(c) + ", Dir." + d + ", new Buffer(" + lit(addr) + ", " + lit(len) + "));";
        }
    }

    // TLA+: ValidateBuffer(c, b), the first step of the two-step hypercall, asked for by guest g
    record ValidateBuffer(String g, String c, Dir d, long addr, long len) implements Action {
        public boolean apply(HostSystem s) { return s.as(g).validateBuffer(c, d, new Buffer(addr, len)); }
        public String toJava() {
            return "sys.as(" + q(g) + ").validateBuffer(" + q(c) + ", Dir." + d + ", new Buffer(" + lit(addr) + ", " + lit(len) + "));";
        }
    }

    // TLA+: PinAndPost(c), the hypercall's second step, on guest g's behalf
    record PinAndPost(String g, String c, Dir d) implements Action {
        public boolean apply(HostSystem s) { return s.as(g).pinAndPost(c, d); }
        public String toJava() { return "sys.as(" + q(g) + ").pinAndPost(" + q(c) + ", Dir." + d + ");"; }
    }

    // TLA+: RingDoorbell(c, v), written by guest g
    record RingDoorbell(String g, String c, Dir d, long v) implements Action {
        public boolean apply(HostSystem s) { return s.as(g).ringDoorbell(c, d, v); }
        public String toJava() { return "sys.as(" + q(g) + ").ringDoorbell(" + q(c) + ", Dir." + d + ", " + lit(v) + ");"; }
    }

    /** Guest g writes a ring slot itself (IOMMU protection only). */
    record WriteDescriptor(String g, String c, Dir d, int slot, List<Segment> segments) implements Action {
        public WriteDescriptor { segments = List.copyOf(segments); }
        public boolean apply(HostSystem s) { return s.as(g).writeDescriptor(c, d, slot, new Descriptor(segments, 0)); }
        public String toJava() {
            String segs = segments.stream().map(x -> "new Segment(" + lit(x.addr()) + ", " + lit(x.len()) + ")").collect(Collectors.joining(", "));
            return "sys.as(" + q(g) + ").writeDescriptor(" + q(c) + ", Dir." + d + ", " + slot + ", new Descriptor(List.of(" + segs + "), 0));";
        }
    }

    // TLA+: MapBuffer(c, b), asked for by guest g
    record MapBuffer(String g, String c, IoBuffer b) implements Action {
        public boolean apply(HostSystem s) { return s.as(g).mapBuffer(c, b); }
        public String toJava() { return "sys.as(" + q(g) + ").mapBuffer(" + q(c) + ", " + ioBuffer(b) + ");"; }
    }

    // TLA+: UnmapBuffer(c, b), asked for by guest g
    record UnmapBuffer(String g, String c, IoBuffer b) implements Action {
        public boolean apply(HostSystem s) { return s.as(g).unmapBuffer(c, b); }
        public String toJava() { return "sys.as(" + q(g) + ").unmapBuffer(" + q(c) + ", " + ioBuffer(b) + ");"; }
    }

    private static String ioBuffer(IoBuffer b) {
        return "new IoBuffer(" + b.first() + ", " + b.second() + ", " + lit(b.off()) + ", " + lit(b.len()) + ")";
    }

    // TLA+: NicFetch(c)
    record NicFetch(String c, Dir d) implements Action {
        public boolean apply(HostSystem s) { return s.nicFetch(c, d); }
        public String toJava() { return "sys.nicFetch(" + q(c) + ", Dir." + d + ");"; }
    }

    // TLA+: NicDma(c)
    record NicDma(String c, Dir d) implements Action {
        public boolean apply(HostSystem s) { return s.nicDma(c, d); }
        public String toJava() { return "sys.nicDma(" + q(c) + ", Dir." + d + ");"; }
    }

    // TLA+: ReapCompletions(c)
    record ReapCompletions(String c, Dir d) implements Action {
        public boolean apply(HostSystem s) { return s.reapCompletions(c, d); }
        public String toJava() { return "sys.reapCompletions(" + q(c) + ", Dir." + d + ");"; }
    }

    // TLA+: FlushIotlb
    record FlushIotlb() implements Action {
        public boolean apply(HostSystem s) { return s.flushIotlb(); }
        public String toJava() { return "sys.flushIotlb();"; }
    }

    /** One tick of the clock (the deferred-invalidation timer). */
    record Tick() implements Action {
        // Always a step: time moves on even when the timer does not flush, and replay must see it.
        public boolean apply(HostSystem s) {
            s.tick();
            return true;
        }
        public String toJava() { return "sys.tick();"; }
    }

    /** The NIC raises what it has, and the hypervisor's interrupt path runs to completion. */
    record DeliverInterrupts() implements Action {
        // Enabled if any step was taken: a raise whose interrupt is then lost still changed the state.
        public boolean apply(HostSystem s) {
            long before = s.stepCount();
            s.deliverInterrupts();
            return s.stepCount() > before;
        }
        public String toJava() { return "sys.deliverInterrupts();"; }
    }

    // TLA+: StopContext(c), by the hypervisor
    record StopContext(String c) implements Action {
        public boolean apply(HostSystem s) { return s.stopContext(c); }
        public String toJava() { return "sys.stopContext(" + q(c) + ");"; }
    }

    // TLA+: QuiesceContext(c)
    record QuiesceContext(String c) implements Action {
        public boolean apply(HostSystem s) { return s.quiesceContext(c); }
        public String toJava() { return "sys.quiesceContext(" + q(c) + ");"; }
    }

    // TLA+: UnmapContext(c)
    record UnmapContext(String c) implements Action {
        public boolean apply(HostSystem s) { return s.unmapContext(c); }
        public String toJava() { return "sys.unmapContext(" + q(c) + ");"; }
    }

    // TLA+: UnpinContext(c)
    record UnpinContext(String c) implements Action {
        public boolean apply(HostSystem s) { return s.unpinContext(c); }
        public String toJava() { return "sys.unpinContext(" + q(c) + ");"; }
    }

    // TLA+: AssignContext(c, g)
    record AssignContext(String c, String g) implements Action {
        public boolean apply(HostSystem s) { return s.assignContext(c, g); }
        public String toJava() { return "sys.assignContext(" + q(c) + ", " + q(g) + ");"; }
    }

    // TLA+: NicRaise(c)
    record NicRaise(String c) implements Action {
        public boolean apply(HostSystem s) { return s.nicRaise(c); }
        public String toJava() { return "sys.nicRaise(" + q(c) + ");"; }
    }

    // TLA+: HandleInterrupt
    record HandleInterrupt() implements Action {
        public boolean apply(HostSystem s) { return s.handleInterrupt(); }
        public String toJava() { return "sys.handleInterrupt();"; }
    }

    // TLA+: ClearVector
    record ClearVector() implements Action {
        public boolean apply(HostSystem s) { return s.clearVector(); }
        public String toJava() { return "sys.clearVector();"; }
    }

    // TLA+: ScanVector
    record ScanVector() implements Action {
        public boolean apply(HostSystem s) { return s.scanVector(); }
        public String toJava() { return "sys.scanVector();"; }
    }

    // TLA+: DeliverVirq(c)
    record DeliverVirq(String c) implements Action {
        public boolean apply(HostSystem s) { return s.deliverVirq(c); }
        public String toJava() { return "sys.deliverVirq(" + q(c) + ");"; }
    }

    /** Guest g makes c's device send an MSI for vector v. */
    record SendMsi(String g, String c, String v) implements Action {
        public boolean apply(HostSystem s) { return s.as(g).sendMsi(c, v); }
        public String toJava() { return "sys.as(" + q(g) + ").sendMsi(" + q(c) + ", " + q(v) + ");"; }
    }

    /** A frame of len bytes arrives for dstMac; its payload follows from frame id. */
    record ReceiveFrame(String dstMac, long id, int len) implements Action {
        public boolean apply(HostSystem s) { return s.receiveFrame(dstMac, Frame.pattern(id, len)); }
        public String toJava() { return "sys.receiveFrame(" + q(dstMac) + ", Frame.pattern(" + id + ", " + len + "));"; }
    }

    /** Guest g's CPU writes len bytes at addr (data it will transmit). */
    record GuestWrite(String g, long addr, int len) implements Action {
        public boolean apply(HostSystem s) { return s.as(g).write(addr, Frame.pattern(addr, len)); }
        public String toJava() { return "sys.as(" + q(g) + ").write(" + lit(addr) + ", Frame.pattern(" + lit(addr) + ", " + len + "));"; }
    }
}
