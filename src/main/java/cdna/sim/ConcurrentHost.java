package cdna.sim;

import cdna.hypervisor.Buffer;
import cdna.nic.Dir;

/**
 * The implementation driven by threads, as a host runs it: a guest's vCPUs
 * make hypercalls and give pages away, the NIC's DMA engine moves data, and
 * the hypervisor reaps completions, all at once.  The machine's state
 * (HostSystem) is guarded by one lock, the way Xen serialises its page and
 * grant bookkeeping; what matters is where each operation lets go of it.
 *
 * <p>The enqueue hypercall is two critical sections, as a hypervisor that
 * walks the buffer's pages and then writes the descriptor is:
 * {@code ValidateBuffer} under the lock, the lock released (the vCPU may be
 * preempted there, and another vCPU of the same guest may run), then
 * {@code PinAndPost} under it again.  Whether that window is safe is the
 * design's PinAtValidation: pinned as checked, a page cannot leave in it;
 * pinned later, it can, and the descriptor is written for a page the guest
 * gave away.  Lincheck explores these interleavings (InterleavingTest).
 */
public final class ConcurrentHost {
    private final HostSystem sys;
    private final Object lock = new Object();
    // One enqueue hypercall at a time per ring (TLA+: ValidateBuffer waits for call[c] = NoCall):
    // a second vCPU's hypercall on the same ring waits for the first instead of being refused.
    private final java.util.Map<String, Object> ringLocks = new java.util.concurrent.ConcurrentHashMap<>();

    public ConcurrentHost(HostSystem sys) {
        this.sys = sys;
        for (String c : sys.config().contexts()) {
            for (Dir d : Dir.values()) ringLocks.put(c + "/" + d, new Object());
        }
    }

    /** Guest g's vCPU enqueues buffer b on its context c: the two halves of the hypercall, each atomic, with a window between. */
    public boolean post(String g, String c, Dir d, Buffer b) {
        Object ring = ringLocks.get(c + "/" + d);
        if (ring == null) return false;
        synchronized (ring) {
            synchronized (lock) {
                if (!sys.as(g).validateBuffer(c, d, b)) return false;
            }
            // the window: the hypervisor has dropped the machine's lock between checking the pages and pinning them
            synchronized (lock) {
                return sys.as(g).pinAndPost(c, d);
            }
        }
    }

    /** Guest g's (other) vCPU gives page p to guest h. */
    public boolean transferPage(String g, String h, int p) {
        synchronized (lock) {
            return sys.as(g).transferPage(h, p);
        }
    }

    /** Guest g's vCPU returns page p to the free pool. */
    public boolean freePage(String g, int p) {
        synchronized (lock) {
            return sys.as(g).freePage(p);
        }
    }

    /** Guest g rings c's doorbell up to everything posted, so the NIC will fetch it. */
    public boolean ring(String g, String c, Dir d) {
        synchronized (lock) {
            int ci = sys.ctx(c);
            return ci >= 0 && sys.as(g).ringDoorbell(c, d, sys.hypervisor().prod(ci, d));
        }
    }

    /** The NIC's DMA engine: fetch the next descriptor if idle, then move its data, one step at a time. */
    public void nicRun(String c, Dir d, int steps) {
        for (int i = 0; i < steps; i++) {
            synchronized (lock) {
                if (!sys.nicDma(c, d)) sys.nicFetch(c, d);
            }
        }
    }

    /** The hypervisor notices completions and drops their pins. */
    public boolean reap(String c, Dir d) {
        synchronized (lock) {
            return sys.reapCompletions(c, d);
        }
    }

    /** The violations the isolation checker saw, read under the lock once the threads are done. */
    public java.util.List<Violation> violations() {
        synchronized (lock) {
            return sys.checker().violations();
        }
    }
}
