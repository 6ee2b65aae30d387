package cdna.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/cdna reductions: one real row measured side by side, and bad arguments refused before any run. */
// both cores are busy with this class alone (two TLC lanes, or a server and its workers): pom.xml runs it apart
@org.junit.jupiter.api.Tag("lanes")
class ReductionsCommandTest {

    /** Symmetry on the IOMMU standard model: both runs really happen, and the reduced one is smaller. */
    @TempDir
    Path tmp;

    @Test
    void aRowMeasuresTheModelWithAndWithoutTheReduction() throws Exception {
        Path report = tmp.resolve("reductions.md");
        CertifyCommandTest.Out o = CertifyCommandTest.cli("reductions", "--only", "iommu-standard / symmetry", "--cap", "3",
                "--out", report.toString());
        assertEquals(0, o.exit(), o.out() + o.err());
        String row = o.out().lines().filter(l -> l.startsWith("IommuProtection")).findFirst().orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("symmetry\\s+([\\d,]+)\\s+\\d+\\s+([\\d,]+)\\s+\\d+\\s+([\\d.]+)x").matcher(row);
        assertTrue(m.find(), row);
        long with = Long.parseLong(m.group(1).replace(",", "")), without = Long.parseLong(m.group(2).replace(",", ""));
        assertTrue(with > 0 && without > with, "symmetry merges states: " + row);
        String md = Files.readString(report);
        assertTrue(md.contains("| IommuProtection | iommu-standard (iommu-baseline) | symmetry |"), md);
    }

    @Test
    void badArgumentsAreRefused() {
        CertifyCommandTest.Out o = CertifyCommandTest.cli("reductions", "--only", "no-such-row");
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("cdna-standard / View"), "names the rows there are: " + o.err());
        assertEquals(2, CertifyCommandTest.cli("reductions", "--cap", "0").exit());
        assertEquals(2, CertifyCommandTest.cli("reductions", "--workers", "0").exit());
        assertEquals(2, CertifyCommandTest.cli("reductions", "--only", "(").exit());
    }
}
