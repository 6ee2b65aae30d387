package cdna.certify;

import cdna.check.Manifest;
import cdna.check.ModelChecker;
import cdna.check.PropertyResult;
import cdna.check.TlcRunner;
import cdna.design.Design;
import cdna.design.DesignFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exploration's pruning inside a certification: a property a smaller
 * profile found violated is not checked again, its counterexample stands, and
 * the implementation and conformance checks are carried over, not re-run.
 */
class CertificationPriorTest {
    static final Path ROOT = Path.of("").toAbsolutePath();

    @TempDir
    Path reports;

    static PropertyResult violatedAtSmall(String property) {
        return new PropertyResult("iommu-small--iommu-direct", "iommu-direct", property, "invariant", null, "violated", 40, 4, 1.0,
                "t.json", null, "Invariant " + property + " is violated.", List.of(), null, "reproduced on Java", null);
    }

    Certificate certify(Map<String, List<PropertyResult>> violated) throws Exception {
        Manifest m = Manifest.read(ROOT.resolve("model-check/manifest.json"));
        Design d = new DesignFiles(ROOT.resolve("model-check/designs")).load("iommu-direct");
        ModelChecker checker = new ModelChecker(new ModelChecker.Settings(ROOT, reports, ROOT.resolve("target/test-prior"), 1,
                TlcRunner.Launcher.tlc("1g"), 1.0, true, cdna.conformance.TraceReplay::summary));
        Certification.Prior prior = new Certification.Prior("small",
                new ImplementationChecks.Result(7, 0, 0, 0, 0, 0, 0, Map.of(), 0), new ConformanceChecks.Result(List.of(), 7), violated);
        Certification c = new Certification(ROOT, m, checker, d, null, "standard", null, Pattern.compile("^iommu-standard$"), prior);
        c.run(new ModelChecker.Listener() {
            @Override public void message(String text) {}
        }, 7, 1);
        Certificate cert = c.certificate(true, null, 0);
        assertSame(prior.implementation(), cert.implementation(), "the implementation checks are carried over, not re-run");
        assertSame(prior.conformance(), cert.conformance(), "the conformance checks are carried over, not re-run");
        return cert;
    }

    static Certificate.PropertyVerdict verdict(Certificate c, String p) {
        return c.properties().stream().filter(v -> v.property().equals(p)).findFirst().orElseThrow();
    }

    @Test
    void aModelWhosePropertiesAreAllBrokenAtSmallBoundsIsNotRun() throws Exception {
        Certificate c = certify(Map.of("InterGuestIsolation", List.of(violatedAtSmall("InterGuestIsolation")),
                "IntraGuestProtection", List.of(violatedAtSmall("IntraGuestProtection"))));
        assertTrue(c.models().isEmpty(), "no TLC run: " + c.models());
        assertTrue(c.skipped().stream().anyMatch(s -> s.model().equals("iommu-standard")
                && s.why().contains("already violated at profile small")), c.skipped().toString());
        Certificate.PropertyVerdict v = verdict(c, "InterGuestIsolation");
        assertEquals("violated", v.verdict());
        assertTrue(v.why().contains("iommu-small--iommu-direct"), "the small counterexample stands: " + v.why());
    }

    @Test
    void aModelChecksOnlyWhatSmallBoundsLeftOpen() throws Exception {
        Certificate c = certify(Map.of("IntraGuestProtection", List.of(violatedAtSmall("IntraGuestProtection"))));
        assertEquals(1, c.models().size());
        List<String> checked = c.models().get(0).results().stream().map(PropertyResult::property).toList();
        assertEquals(List.of("InterGuestIsolation"), checked, "IntraGuestProtection is not checked again");
        assertEquals("holds", verdict(c, "InterGuestIsolation").verdict(), "checked at standard bounds: direct mappings keep guests apart");
        assertEquals("violated", verdict(c, "IntraGuestProtection").verdict());
    }
}
