package cdna.guest;

import cdna.hypervisor.Phase;
import cdna.memory.HostMemory;
import cdna.nic.Dir;
import cdna.sim.Action;
import cdna.sim.ActionGenerator;
import cdna.sim.HostSystem;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Everyone who can take a step: guests (each step honest or malicious, at a
 * given rate), the NIC, the hypervisor (lazy reaping, page reallocation,
 * interrupt delivery, the flush timer, and taking contexts from guests and
 * giving them to others) and the network.  Revocation starts at random
 * moments and then advances one pipeline step at a time, interleaved with
 * everything else, so guests keep posting and the NIC keeps moving data
 * while a context changes hands.
 */
public final class Adversary implements ActionGenerator {
    private final int maliciousPercent;
    private final boolean split;
    private final int stopPerMille;

    public Adversary(int maliciousPercent) { this(maliciousPercent, false, 10); }

    private Adversary(int maliciousPercent, boolean split, int stopPerMille) {
        this.maliciousPercent = maliciousPercent;
        this.split = split;
        this.stopPerMille = stopPerMille;
    }

    /** The same adversary, starting a revocation on a given share of its steps (per mille; 0: never). */
    public Adversary revoking(int perMille) { return new Adversary(maliciousPercent, split, perMille); }

    /**
     * Odd-numbered guests (g1, g3, ...) are always malicious, the others always
     * honest: honest guests then keep real traffic flowing, which a guest that
     * is malicious half the time mostly breaks for itself.
     */
    public static Adversary split() { return new Adversary(0, true, 10); }

    /** Guests are honest half the time: enough honest traffic to build up state for the malicious half to abuse. */
    public static Adversary mixed() { return new Adversary(50); }

    @Override
    public Action next(HostSystem s, SplittableRandom rnd) {
        List<String> ctxs = s.config().contexts();
        // A revocation under way moves on briskly, so a context changes hands within a few dozen steps.
        if (rnd.nextInt(100) < 15) {
            Action a = revocation(s, rnd);
            if (a != null) return a;
        }
        String c = ctxs.get(rnd.nextInt(ctxs.size()));
        // A new revocation starts: the hypervisor stops a context, whatever it is doing.
        if (rnd.nextInt(1000) < stopPerMille) return new Action.StopContext(c);
        Dir d = rnd.nextInt(4) == 0 ? Dir.TX : Dir.RX;
        int r = rnd.nextInt(100);
        if (r < 27) return rnd.nextBoolean() ? new Action.NicFetch(c, d) : new Action.NicDma(c, d);
        if (r < 32) return new Action.ReapCompletions(c, d);
        if (r < 34) return new Action.DeliverInterrupts();
        if (r < 37) return interruptStep(c, rnd);
        if (r < 40) return rnd.nextBoolean() ? new Action.Tick() : new Action.FlushIotlb();
        if (r < 43) {
            List<String> gs = s.config().guests();
            int p = HonestDriver.freePage(s, rnd);
            return p > 0 ? new Action.AllocatePage(gs.get(rnd.nextInt(gs.size())), p) : null;
        }
        if (r < 44) {
            int ci = rnd.nextInt(ctxs.size());
            // A context whose filter is clear (a released one) has no address: the frame goes to one nobody claims.
            String mac = rnd.nextInt(5) == 0 || s.nic().mac(ci) == null ? "ff:ff:ff:ff:ff:ff" : s.nic().mac(ci);
            return new Action.ReceiveFrame(mac, rnd.nextInt(1 << 20), 1 + rnd.nextInt((int) Math.min(64, s.config().maxLen())));
        }
        List<String> gs = s.config().guests();
        String g = gs.get(rnd.nextInt(gs.size()));
        if (g.equals(HostMemory.HYP)) return null;
        boolean malicious = split ? gs.indexOf(g) % 2 == 0 : rnd.nextInt(100) < maliciousPercent;
        return malicious ? MaliciousGuest.next(s, g, rnd) : HonestDriver.next(s, g, rnd);
    }

    /** One step of the spec's interrupt path, the NIC's or the hypervisor's. */
    static Action interruptStep(String c, SplittableRandom rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> new Action.NicRaise(c);
            case 1 -> new Action.HandleInterrupt();
            case 2 -> new Action.ClearVector();
            case 3 -> new Action.ScanVector();
            default -> new Action.DeliverVirq(c);
        };
    }

    /** The hypervisor moves a context that is changing hands one step on; null if none is. */
    static Action revocation(HostSystem s, SplittableRandom rnd) {
        List<String> ctxs = s.config().contexts();
        List<Integer> moving = new java.util.ArrayList<>();
        for (int i = 0; i < ctxs.size(); i++) if (s.phase(i) != Phase.ASSIGNED) moving.add(i);
        return moving.isEmpty() ? null : nextRevocationStep(s, moving.get(rnd.nextInt(moving.size())), rnd);
    }

    /** The step that moves context i on: stop, quiesce, unmap, unpin, or assign it to another guest. */
    static Action nextRevocationStep(HostSystem s, int i, SplittableRandom rnd) {
        String c = s.config().contexts().get(i);
        return switch (s.phase(i)) {
            case ASSIGNED -> new Action.StopContext(c);
            case STOPPED -> new Action.QuiesceContext(c);
            case QUIESCED -> new Action.UnmapContext(c);
            case UNMAPPED -> new Action.UnpinContext(c);
            case FREE -> {
                List<String> others = new java.util.ArrayList<>(s.config().guests());
                others.remove(s.ctxOwner(i));
                yield others.isEmpty() ? null : new Action.AssignContext(c, others.get(rnd.nextInt(others.size())));
            }
        };
    }
}
