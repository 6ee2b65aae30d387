package cdna.cli;

import cdna.check.Manifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every known-bad design, certified at standard bounds as an architect would
 * (mvn test -Pdeep -Dtest=KnownBadCertificationTest [-Dcdna.designs=REGEX]; 5 to 20 minutes per
 * design, so the 17 take hours): it is
 * not certified, and its report names each property the manifest expects it
 * to violate at standard bounds, with the counterexample drawn and reproduced
 * on Java.
 */
@Tag("deep")
class KnownBadCertificationTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path reports;

    /** Design -> the properties its standard regression runs expect violated. */
    static TreeMap<String, Set<String>> expectedViolations() throws Exception {
        TreeMap<String, Set<String>> out = new TreeMap<>();
        for (Manifest.Entry e : Manifest.read(Path.of("model-check/manifest.json")).entries()) {
            Manifest.Model m = e.model();
            if (!m.profile().equals("standard")) continue;
            for (var x : m.expected().entrySet()) {
                if (x.getValue() == Manifest.Expect.violated) out.computeIfAbsent(m.design(), k -> new TreeSet<>()).add(x.getKey());
            }
        }
        return out;
    }

    /** -Dcdna.designs=REGEX certifies only the designs it matches (the whole run takes hours: run it in parts). */
    static Stream<String> badDesigns() throws Exception {
        java.util.regex.Pattern only = java.util.regex.Pattern.compile(System.getProperty("cdna.designs", ".*"));
        return expectedViolations().keySet().stream().filter(d -> only.matcher(d).matches());
    }

    @ParameterizedTest
    @MethodSource("badDesigns")
    void isNotCertifiedAndItsReportShowsEachExpectedViolation(String design) throws Exception {
        CertifyCommandTest.Out o = CertifyCommandTest.cli("certify", design, "--quiet", "--reports", reports.toString());
        assertEquals(1, o.exit(), o.err());
        JsonNode cert = JSON.readTree(reports.resolve(design).resolve("certificate.json").toFile());
        String html = Files.readString(reports.resolve(design).resolve("index.html"));
        String last = o.out().trim().substring(o.out().trim().lastIndexOf('\n') + 1);
        for (String p : expectedViolations().get(design)) {
            JsonNode v = null;
            for (JsonNode x : cert.get("properties")) if (x.get("property").asText().equals(p)) v = x;
            assertTrue(v != null && v.get("verdict").asText().equals("violated"), design + ": " + p + " is " + v);
            assertTrue(last.contains(p + " violated"), last);
            assertTrue(html.contains("sequence diagram of a counterexample to " + p), design + ": no diagram of " + p);
            boolean reproduced = false;
            for (JsonNode r : v.get("spec")) {
                if (r.get("verdict").asText().equals("violated") && r.get("javaReplay").asText("").startsWith("reproduced")) reproduced = true;
            }
            assertTrue(reproduced, design + ": no counterexample of " + p + " reproduced on Java");
        }
    }
}
