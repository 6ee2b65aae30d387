package cdna.explore;

import cdna.costs.CostTable;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.design.Switch;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which designs an exploration reaches, how inert switches fold them, and what each is called. */
class DesignSpaceTest {
    static final DesignFiles FILES = new DesignFiles(Path.of("model-check/designs"));

    static List<Design> files() throws Exception {
        List<Design> out = new ArrayList<>();
        for (String n : FILES.names()) out.add(FILES.load(n));
        return out;
    }

    static final List<Switch> ACCEPTANCE = List.of(Switch.IommuStrategy, Switch.Invalidation, Switch.FlushBeforeReuse,
            Switch.SubPageBounce);

    @Test
    void theIommuSpaceFoldsThirtyTwoDesignsIntoFifteen() throws Exception {
        List<DesignSpace.Candidate> c = DesignSpace.product(FILES.load("iommu-baseline"), ACCEPTANCE, files());
        // single-use: strict x bounce (2) + deferred x flush-before-reuse x bounce (4); each other strategy: strict, deferred x 2
        assertEquals(6 + 3 * 3, c.size());
        int covered = c.stream().mapToInt(x -> 1 + x.covers().size()).sum();
        assertEquals(32, covered, "every combination is in exactly one class");
        assertEquals("iommu-baseline", c.get(0).name(), "the base comes first, under its own name");
        Set<String> names = c.stream().map(DesignSpace.Candidate::name).collect(Collectors.toSet());
        assertEquals(c.size(), names.size(), "names are unique");
        for (String known : List.of("iommu-shared", "iommu-persistent", "iommu-direct", "iommu-single-use-no-bounce",
                "iommu-deferred-reuse", "iommu-deferred-flush-before-reuse")) {
            assertTrue(names.contains(known), "a design with a file's very switches takes the file's name: " + known);
        }
        DesignSpace.Candidate shared = c.stream().filter(x -> x.name().equals("iommu-shared")).findFirst().orElseThrow();
        assertEquals(List.of("IommuStrategy=shared, SubPageBounce=false", "IommuStrategy=shared, FlushBeforeReuse=true, SubPageBounce=false",
                "IommuStrategy=shared, FlushBeforeReuse=true"), shared.covers());
        assertTrue(shared.inert().get("SubPageBounce").contains("single-use"), shared.inert().toString());
        assertTrue(shared.inert().get("FlushBeforeReuse").contains("deferred"), shared.inert().toString());
        DesignSpace.Candidate fresh = c.stream().filter(x -> x.knownAs() == null && !x.name().equals("iommu-baseline"))
                .findFirst().orElseThrow();
        assertTrue(fresh.name().startsWith("iommu-baseline.") && fresh.name().matches("[A-Za-z0-9][A-Za-z0-9_.-]*"), fresh.name());
    }

    @Test
    void theDefaultVariesEverySwitchOfTheModeOneAndTwoAtATime() throws Exception {
        Design base = FILES.load("iommu-baseline");
        List<Switch> vary = DesignSpace.defaultVary(base);
        assertTrue(vary.contains(Switch.IommuStrategy) && vary.contains(Switch.ScanBeforeClear), vary.toString());
        assertTrue(!vary.contains(Switch.PinPages) && !vary.contains(Switch.DirtyLogDma) && !vary.contains(Switch.Protection), vary.toString());
        List<Switch> two = List.of(Switch.InterruptRemapping, Switch.ScanBeforeClear);
        // the base, each switch flipped, both flipped
        assertEquals(4, DesignSpace.oneAndTwo(base, two, List.of()).size());
        List<Switch> three = List.of(Switch.InterruptRemapping, Switch.ScanBeforeClear, Switch.IommuStrategy);
        // base 1; one at a time 1 + 1 + 3; two at a time 1 + 3 + 3
        assertEquals(13, DesignSpace.oneAndTwo(base, three, List.of()).size());
    }

    @Test
    void designsThatDifferOnlyInInertSwitchesCostTheSame() throws Exception {
        // The fold is a pruning, so check it against the implementation: an inert switch changes no count.
        Design base = FILES.load("iommu-baseline");
        Map<Switch, Object> v = new java.util.EnumMap<>(base.values());
        v.put(Switch.IommuStrategy, "shared");
        Design shared = new Design("a", "", v);
        assertNull(Switch.FlushBeforeReuse.inertIn(new Design("x", "", withValue(v, Switch.Invalidation, "deferred"))));
        for (Switch s : List.of(Switch.SubPageBounce, Switch.FlushBeforeReuse, Switch.FlushBatch)) {
            Object other = s.domain(shared.get(s)).stream().filter(x -> !x.equals(shared.get(s))).findFirst().orElseThrow();
            Design twin = shared.with("b", s, other);
            assertTrue(s.inertIn(twin) != null, s + " is inert in " + twin.values());
            CostTable.Row a = CostTable.measure(shared, 512), b = CostTable.measure(twin, 512);
            assertEquals(a.relativeCost(), b.relativeCost(), 1e-12, s.name());
            assertEquals(a.maps(), b.maps(), 1e-12, s.name());
            assertEquals(a.invalidations(), b.invalidations(), 1e-12, s.name());
            assertEquals(a.bounceBytes(), b.bounceBytes(), 1e-12, s.name());
        }
    }

    @Test
    void noModelChoosesItsDesignsByAnInertSwitch() throws Exception {
        // Folding would otherwise change which models certify a design, not only how it behaves.
        cdna.check.Manifest m = cdna.check.Manifest.read(Path.of("model-check/manifest.json"));
        Design base = FILES.load("iommu-baseline");
        Set<Switch> inert = new java.util.HashSet<>();
        for (Switch s : Switch.values()) {
            for (Object x : s.domain(base.get(s))) {
                for (Switch g : Switch.values()) {
                    for (Object y : g.domain(base.get(g))) {
                        Design d = new Design("x", "", withValue(withValue(base.values(), s, x), g, y));
                        for (Switch t : Switch.values()) if (t.inertIn(d) != null) inert.add(t);
                    }
                }
            }
        }
        assertEquals(Set.of(Switch.FlushBatch, Switch.FlushBeforeReuse, Switch.SubPageBounce, Switch.SettleByVirq), inert);
        for (cdna.check.Manifest.Template t : m.templates()) {
            for (Map<Switch, Set<Object>> clause : t.appliesTo()) {
                for (Switch s : inert) assertTrue(!clause.containsKey(s), t.name() + " chooses its designs by " + s);
            }
        }
    }

    static Map<Switch, Object> withValue(Map<Switch, Object> v, Switch s, Object x) {
        Map<Switch, Object> m = new java.util.EnumMap<>(v);
        m.put(s, x);
        return m;
    }
}
