package cdna.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every "small" model of the manifest, through real TLC: each property gets
 * the verdict the manifest expects, a complete exploration has the expected
 * size, and each counterexample is saved as labelled JSON whose first state
 * is Init and whose steps all name their parameters.
 */
// both cores are busy with this class alone (two TLC lanes, or a server and its workers): pom.xml runs it apart
@org.junit.jupiter.api.Tag("lanes")
class SmallModelsTest {
    static final Path ROOT = Path.of("").toAbsolutePath();

    @TempDir
    static Path reports;

    @TestFactory
    List<DynamicTest> smallModels() throws Exception {
        Manifest m = Manifest.read(ROOT.resolve("model-check/manifest.json"));
        // as bin/cdna check runs them: two lanes of one TLC worker, each counterexample replayed on Java
        ModelChecker checker = new ModelChecker(new ModelChecker.Settings(ROOT, reports, ROOT.resolve("target/test-check"), 1,
                TlcRunner.Launcher.tlc("2g"), 1.0, true, cdna.conformance.TraceReplay::summary));
        List<Manifest.Entry> small = new ArrayList<>();
        for (Manifest.Entry e : m.entries()) if (e.model() != null && e.model().profile().equals("small")) small.add(e);
        List<Lanes.Job<List<PropertyResult>>> jobs = new ArrayList<>();
        for (Manifest.Entry e : small) jobs.add(new Lanes.Job<>(e.name(), e.model().seconds(), () -> checker.check(e.model(), x -> {})));
        List<List<PropertyResult>> results = Lanes.run(jobs, 2, r -> {});
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < small.size(); i++) {
            List<PropertyResult> rs = results.get(i);
            tests.add(DynamicTest.dynamicTest(small.get(i).name(), () -> {
                for (PropertyResult r : rs) {
                    assertTrue(r.asExpected(), r.property() + ": expected " + r.expected() + ", got " + r.verdict()
                            + " (" + r.message() + ")");
                    if (r.verdict().equals("violated")) checkTrace(r);
                    if (r.verdict().equals("holds")) checkExercised(r);
                }
            }));
        }
        assertTrue(tests.size() >= 8, "the manifest should have small models of both protections");
        // each witness of each module is reached in a small run of a design it applies to
        java.util.Map<String, WitnessResult> reached = new java.util.TreeMap<>();
        for (int i = 0; i < small.size(); i++) {
            for (PropertyResult r : results.get(i)) {
                for (WitnessResult w : r.witnesses()) {
                    if (w.reached()) reached.putIfAbsent(small.get(i).model().module() + "/" + w.name(), w);
                }
            }
        }
        java.util.Set<String> declared = new java.util.TreeSet<>();
        for (Manifest.Template t : m.templates()) {
            for (Vacuity.Witness w : t.vacuity().witnesses()) declared.add(t.module() + "/" + w.name());
        }
        for (String w : declared) {
            tests.add(DynamicTest.dynamicTest("witness " + w, () -> {
                WitnessResult r = reached.get(w);
                assertTrue(r != null, w + " was not reached in any small run of a design it applies to");
                // not true initially (then it would say nothing), and the trace to it is saved
                assertTrue(r.depth() != null && r.depth() >= 2, w + ": " + r);
                assertTrue(r.trace() != null && Files.exists(ROOT.resolve(r.trace())), w + ": " + r);
            }));
        }
        return tests;
    }

    /** A "holds" shows what it exercised: every action's coverage, and every witness of the property reached. */
    private static void checkExercised(PropertyResult r) {
        assertTrue(r.coverage() != null, r.model() + " " + r.property() + ": no coverage");
        assertTrue(r.coverage().actions().size() >= 3, r.model() + ": " + r.coverage());
        assertTrue(!r.witnesses().isEmpty(), r.model() + " " + r.property() + ": no witness looked for");
        for (WitnessResult w : r.witnesses()) assertTrue(w.reached(), r.model() + " " + r.property() + ": " + w);
    }

    private static void checkTrace(PropertyResult r) throws Exception {
        // coverage is reported for every run, a violated one too (of the search up to the counterexample),
        // unless an initial state violates it: then TLC stops before the search, with nothing to count
        assertTrue(r.coverage() != null || r.depth() == 1, r.model() + " " + r.property() + ": no coverage");
        JsonNode t = new ObjectMapper().readTree(Files.readString(ROOT.resolve(r.trace())));
        assertEquals(r.property(), t.get("property").asText());
        assertTrue(t.get("labelled").asBoolean(), "trace not labelled: " + t.get("labellingFailure"));
        JsonNode states = t.get("states");
        assertTrue(states.size() >= 1);
        assertEquals("Init", states.get(0).get("action").asText());
        for (JsonNode s : states) {
            assertTrue(s.get("params").isObject(), "step " + s.get("index") + " has no parameters");
            if (s.get("tlcAction") != null) {
                // the labeller may only refine TLC's name to the spec action it came from
                assertTrue(s.get("index").asInt() > 1, "the initial state needs no label");
            }
            assertTrue(s.get("vars").size() > 0);
        }
        assertTrue(Files.exists(ROOT.resolve(r.tlcTrace())));
        // the counterexample must also happen on the Java implementation, state for state
        assertTrue(r.javaReplay() != null && r.javaReplay().startsWith("reproduced"), r.javaReplay());
    }
}
