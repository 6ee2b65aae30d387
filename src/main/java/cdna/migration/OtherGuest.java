package cdna.migration;

import cdna.guest.MaliciousGuest;
import cdna.hypervisor.Buffer;
import cdna.hypervisor.IoBuffer;
import cdna.nic.Descriptor;
import cdna.nic.DescriptorQueue;
import cdna.nic.Dir;
import cdna.sim.HostSystem;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The other guest O on the real host A: it keeps DMA in flight on every
 * context it owns (a receive buffer in one of its pages, the doorbell, the
 * NIC's fetch and DMA), and one step in four does anything at all
 * ({@link MaliciousGuest}).
 */
final class OtherGuest {
    private final HostSystem sys;

    OtherGuest(HostSystem sys) { this.sys = sys; }

    /** One step of O; returns a label. */
    String step(SplittableRandom rnd) {
        List<String> mine = new ArrayList<>();
        for (String c : sys.config().contexts()) if (sys.ctxOwner(sys.ctx(c)).equals(Handoff.O)) mine.add(c);
        String c = mine.get(rnd.nextInt(mine.size()));
        List<Integer> pages = sys.memory().pagesOwnedBy(Handoff.O);
        switch (rnd.nextInt(4)) {
            case 0: {
                var a = MaliciousGuest.next(sys, Handoff.O, rnd);
                return "O: " + a.toJava() + (a.apply(sys) ? "" : " (refused)");
            }
            case 1:
                if (!pages.isEmpty()) post(c, pages.get(rnd.nextInt(pages.size())));
                return "O posts on " + c;
            case 2:
                return "NicFetch(" + c + ") " + sys.nicFetch(c, Dir.RX);
            default:
                return "NicDma(" + c + ") " + sys.nicDma(c, Dir.RX);
        }
    }

    /** O's driver posts a receive buffer in page p on context c and rings, as an honest driver of O would. */
    void post(String c, int p) {
        HostSystem.GuestView o = sys.as(Handoff.O);
        int ci = sys.ctx(c);
        if (!sys.translated()) {
            while (sys.reapCompletions(c, Dir.RX)) { }
            if (o.postDescriptor(c, Dir.RX, new Buffer(sys.memory().pageStart(p), RealSourceHost.PAGE_SIZE))) {
                o.ringDoorbell(c, Dir.RX, sys.hypervisor().prod(ci, Dir.RX));
            }
            return;
        }
        DescriptorQueue q = sys.nic().queue(ci, Dir.RX);
        IoBuffer b = new IoBuffer(p, p, 0, RealSourceHost.PAGE_SIZE);
        // One buffer at a time per context: the one before is unmapped once the NIC is done with it.
        for (IoBuffer old : sys.hypervisor().posted(ci)) if (q.engine().idle() && q.doorbell() == q.nicNext()) o.unmapBuffer(c, old);
        if (o.mapBuffer(c, b)) {
            o.writeDescriptor(c, Dir.RX, q.doorbell() % sys.config().ringSize(), new Descriptor(b.segments(RealSourceHost.PAGE_SIZE), 0));
            o.ringDoorbell(c, Dir.RX, q.doorbell() + 1);
        }
    }
}
