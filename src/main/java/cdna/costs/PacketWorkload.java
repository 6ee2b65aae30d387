package cdna.costs;

import cdna.design.Design;
import cdna.hypervisor.Buffer;
import cdna.hypervisor.IoBuffer;
import cdna.nic.Dir;
import cdna.sim.Config;
import cdna.sim.HostSystem;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A steady stream of received packets through honest drivers, the workload of
 * the cost table and the JMH benchmark.  Each guest owns one context and a
 * pool of packet buffers, two per 4 KiB page (as Linux drivers carve receive
 * buffers); its driver refills the RX ring whenever there is room, the NIC
 * writes one 1514-byte frame per buffer, and the driver (or, under CDNA, the
 * hypervisor) retires what completed.  Under CDNA the driver posts a whole
 * refill in one batched hypercall; under an IOMMU it maps each buffer before
 * posting it and unmaps it after completion.
 */
public final class PacketWorkload {
    public static final int PAGE = 4096;
    public static final int FRAME = 1514;
    static final int GUESTS = 2;
    static final int PAGES_PER_GUEST = 16;
    static final int RING = 8;

    private final HostSystem sys;
    private final List<String> ctxs;
    private final List<List<Long>> pools = new ArrayList<>();
    private final int[] nextBuffer;
    private final int[] produced;
    private final List<ArrayDeque<IoBuffer>> inFlight = new ArrayList<>();

    public PacketWorkload(Design design) {
        Config cfg = Config.of(GUESTS, 1, GUESTS * PAGES_PER_GUEST + 8, PAGE, FRAME, RING);
        sys = new HostSystem(cfg, design);
        sys.checker().off();
        ctxs = cfg.contexts();
        nextBuffer = new int[ctxs.size()];
        produced = new int[ctxs.size()];
        int page = 1;
        for (int c = 0; c < ctxs.size(); c++) {
            String g = sys.ctxOwner(c);
            List<Long> pool = new ArrayList<>();
            for (int i = 0; i < PAGES_PER_GUEST; i++, page++) {
                if (!sys.allocatePage(g, page)) throw new IllegalStateException("page " + page);
                pool.add(sys.memory().pageStart(page));
                pool.add(sys.memory().pageStart(page) + PAGE / 2);
            }
            pools.add(pool);
            inFlight.add(new ArrayDeque<>());
        }
    }

    public HostSystem system() { return sys; }

    /** Packets received so far, over all contexts. */
    public long packets() { return sys.nic().received(); }

    /** Runs until at least n more packets have been received. */
    public void run(long n) {
        long target = packets() + n;
        while (packets() < target) {
            for (int c = 0; c < ctxs.size(); c++) round(c);
            sys.deliverInterrupts();
        }
    }

    private long nextAddr(int c) {
        List<Long> pool = pools.get(c);
        long a = pool.get(nextBuffer[c]);
        nextBuffer[c] = (nextBuffer[c] + 1) % pool.size();
        return a;
    }

    private void round(int c) {
        String ctx = ctxs.get(c);
        String g = sys.ctxOwner(c);
        var as = sys.as(g);
        int seqMod = sys.config().seqMod();
        if (sys.design().protection() == Design.Protection.SOFTWARE) {
            int room = RING - sys.hypervisor().inFlight(c, Dir.RX);
            List<Buffer> batch = new ArrayList<>();
            for (int i = 0; i < room; i++) batch.add(new Buffer(nextAddr(c), FRAME));
            if (!batch.isEmpty()) as.postDescriptors(ctx, Dir.RX, batch);
            as.ringDoorbell(ctx, Dir.RX, sys.hypervisor().prod(c, Dir.RX));
            drain(ctx);
            while (sys.reapCompletions(ctx, Dir.RX)) { }
            return;
        }
        ArrayDeque<IoBuffer> mine = inFlight.get(c);
        while (mine.size() < RING) {
            long a = nextAddr(c);
            int p = sys.memory().pageOf(a);
            IoBuffer b = new IoBuffer(p, p, a - sys.memory().pageStart(p), FRAME);
            if (!as.mapBuffer(ctx, b)) throw new IllegalStateException("map refused: " + b);
            as.writeDescriptor(ctx, Dir.RX, produced[c] % RING, new cdna.nic.Descriptor(b.segments(PAGE), 0));
            produced[c] = (produced[c] + 1) % seqMod;
            mine.add(b);
        }
        as.ringDoorbell(ctx, Dir.RX, produced[c]);
        drain(ctx);
        // Everything the NIC has consumed is complete: unmap it, oldest first.
        int pending = Math.floorMod(produced[c] - sys.nic().queue(c, Dir.RX).nicNext(), seqMod);
        while (mine.size() > pending) as.unmapBuffer(ctx, mine.poll());
    }

    private void drain(String ctx) {
        while (sys.nicFetch(ctx, Dir.RX)) {
            while (sys.nicDma(ctx, Dir.RX)) { }
        }
    }
}
