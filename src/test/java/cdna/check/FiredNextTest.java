package cdna.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The trace labeller relies on TraceActions/Fire in each MC module listing
 * exactly the actions of Next.  If an action were missing or misnamed there,
 * FiredSpec would explore a different state graph than Spec; this compares
 * the two.
 */
class FiredNextTest {
    static final Path ROOT = Path.of("").toAbsolutePath();

    @TempDir
    Path tmp;

    private long distinct(String module, String cfgName, String spec) throws Exception {
        Path mc = ROOT.resolve("model-check");
        String cfg = Files.readString(mc.resolve(cfgName)).replace("SPECIFICATION Spec", "SPECIFICATION " + spec)
                .replaceAll("(?m)^PROPERTY .*$", "");
        // in the test's own directory, never in model-check/ (the manifest test lists that folder, maybe at the same time)
        Path gen = tmp.resolve("fired_" + spec + "_" + cfgName);
        Files.writeString(gen, cfg);
        TlcRunner.Run r = new TlcRunner(TlcRunner.Launcher.tlc("1g")).run(new TlcRunner.Request(mc.resolve(module), gen,
                List.of(mc, ROOT.resolve("specs")), 2, Duration.ofMinutes(3), tmp.resolve(spec + cfgName), List.of()));
        Outcome o = Outcome.of(r, List.of(mc));
        assertEquals(Outcome.Kind.NO_ERROR, o.kind(), o.message());
        return o.distinct();
    }

    @Test
    void cdnaLabelsCoverNext() throws Exception {
        assertEquals(distinct("MCCdna.tla", "MCCdnaSmall.cfg", "Spec"), distinct("MCCdna.tla", "MCCdnaSmall.cfg", "FiredSpec"));
    }

    @Test
    void ownershipLabelsCoverNext() throws Exception {
        assertEquals(distinct("MCContextOwnership.tla", "MCOwnershipSmall.cfg", "Spec"),
                distinct("MCContextOwnership.tla", "MCOwnershipSmall.cfg", "FiredSpec"));
    }

    @Test
    void conventionalNicLabelsCoverNext() throws Exception {
        // IOMMU protection with the guest-written ring: WriteDescriptor is labelled too.
        assertEquals(distinct("MCContextOwnership.tla", "MCConventionalSmall.cfg", "Spec"),
                distinct("MCContextOwnership.tla", "MCConventionalSmall.cfg", "FiredSpec"));
    }

    @Test
    void fullVirtualizationLabelsCoverNext() throws Exception {
        assertEquals(distinct("MCFullVirt.tla", "MCFullVirtSmall.cfg", "Spec"), distinct("MCFullVirt.tla", "MCFullVirtSmall.cfg", "FiredSpec"));
    }

    @Test
    void iommuLabelsCoverNext() throws Exception {
        assertEquals(distinct("MCIommu.tla", "MCIommuSmall.cfg", "Spec"), distinct("MCIommu.tla", "MCIommuSmall.cfg", "FiredSpec"));
    }

    @Test
    void provisioningLabelsCoverNext() throws Exception {
        assertEquals(distinct("MCProvisioning.tla", "MCProvisioningSmall.cfg", "Spec"),
                distinct("MCProvisioning.tla", "MCProvisioningSmall.cfg", "FiredSpec"));
    }
}
