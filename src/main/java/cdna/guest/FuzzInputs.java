package cdna.guest;

import cdna.design.Design;
import cdna.sim.Config;
import cdna.sim.HostSystem;

import java.util.Arrays;
import java.util.List;

/**
 * How a fuzz input's first byte picks the machine, the design and whether
 * the ownership steps are on, for the two Jazzer targets of IsolationFuzzTest
 * ({@code baselines} and {@code designsBreakOnlyWhatTheyMay}).  The rest of
 * the input is {@link FuzzDriver}'s steps.  Certification replays the saved
 * corpus with the same machine and steps under the design being certified.
 */
public final class FuzzInputs {
    private FuzzInputs() {}

    /**
     * The designs byte 0 of a designsBreakOnlyWhatTheyMay input selects, modulo four times its
     * length: so its length is fixed, and an entry is only ever replaced by one whose saved input
     * still shows its flaw (iommu-no-interrupt-remapping took the slot of cdna-no-interrupt-remapping
     * when MSIs became DMA writes and that design turned out safe).
     */
    public static final List<String> DESIGNS = List.of(
            "cdna-baseline", "iommu-baseline", "cdna-first-page-only", "cdna-no-pinning", "cdna-no-sequence-numbers",
            "iommu-deferred-reuse", "iommu-shared-requester-id", "iommu-shared", "iommu-single-use-no-bounce",
            "iommu-persistent", "iommu-direct", "iommu-deferred-flush-before-reuse",
            "cdna-reassign-without-quiesce", "cdna-drain-without-reset", "cdna-drain-all", "iommu-domain-change-without-flush",
            "cdna-clear-vector-before-scan", "iommu-no-interrupt-remapping", "cdna-deliver-to-current-owner",
            "cdna-keep-guest-mappings");

    /** The two fuzz targets, whose inputs decode byte 0 differently. */
    public enum Target { BASELINES, DESIGNS }

    /**
     * What byte 0 chose.
     *
     * @param design    the design the input was saved for (a baseline, or one of {@link #DESIGNS})
     * @param ownership whether the bytes may also revoke, reassign and drive interrupts
     */
    public record Decoded(Config config, String design, boolean ownership, byte[] steps) {}

    /** The TLC-sized machine, or a roomier one with 4-byte pages, MaxLen 6 and three guests. */
    public static Config config(int selector) {
        return (selector & 1) == 0 ? Config.tlcSized() : Config.of(3, 1, 6, 4, 6, 3);
    }

    public static Decoded decode(Target target, byte[] in) {
        byte[] steps = in.length == 0 ? in : Arrays.copyOfRange(in, 1, in.length);
        int b = in.length == 0 ? 0 : in[0] & 0xff;
        if (target == Target.BASELINES) {
            // bits 0-1 pick machine and baseline, bit 3 turns the ownership steps on
            return new Decoded(config(b & 3), (b & 2) == 0 ? "cdna-baseline" : "iommu-baseline", (b & 8) != 0, steps);
        }
        int n = DESIGNS.size();
        int sel = b % (4 * n);
        return new Decoded(config(sel / n), DESIGNS.get(sel % n), sel >= 2 * n, steps);
    }

    /** The first byte of a designsBreakOnlyWhatTheyMay input for a design, on the TLC-sized machine. */
    public static byte selector(String design, boolean ownership) {
        return (byte) (DESIGNS.indexOf(design) + (ownership ? 2 * DESIGNS.size() : 0));
    }

    /** Runs an input's steps on its machine under the given design (not necessarily the one it was saved for). */
    public static HostSystem run(Decoded in, Design design) {
        HostSystem s = new HostSystem(in.config(), design);
        FuzzDriver.run(s, in.steps(), in.ownership());
        return s;
    }
}
