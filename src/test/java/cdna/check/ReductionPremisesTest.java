package cdna.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each reduction's premise is checked in the models that use it, and a spec
 * mutant that breaks the premise is caught on the reduced model by the premise
 * itself (docs/reductions.md).
 *
 * <p>The View of the CDNA models merges states that differ only in stale ring
 * slots, which is sound only if stale slots are never fetched: the premise
 * (ViewPremise) is an invariant of every model with the View.  A spec mutant
 * whose NIC accepts any tag at or above the one it expects (d.seq >= nicNext
 * instead of =) breaks exactly that premise; on the reduced small model TLC
 * reports ViewPremise violated, at the first state the NIC works on a stale
 * slot, whatever the state count.  Without the premise the same reduced model
 * would have to catch the bug through the isolation properties, which the
 * merge can hide (issue 16 saw InterGuestIsolation "hold" this way on the
 * standard model).  That the unchanged spec keeps the premise is a manifest
 * expectation of every CDNA model (SmallModelsTest, bin/cdna check).
 */
class ReductionPremisesTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path MC = ROOT.resolve("model-check");

    @TempDir
    Path tmp;

    private Outcome run(Path specs, String cfgText) throws IOException { return SpecMutants.run(tmp, "MCCdna.tla", specs, cfgText); }

    private Outcome run(String module, Path specs, String cfgText) throws IOException { return SpecMutants.run(tmp, module, specs, cfgText); }

    private Path mutatedSpecs(String module, String exact, String replacement) throws IOException {
        return SpecMutants.mutate(tmp, module, exact, replacement);
    }

    @Test
    void aLooserTagCheckBreaksTheViewPremiseOnTheReducedModel() throws Exception {
        Path specs = mutatedSpecs("CdnaProtection.tla", "SequenceNumbers => d.seq = nicNext[c]", "SequenceNumbers => d.seq >= nicNext[c]");
        String cfg = Files.readString(MC.resolve("MCCdnaSmall.cfg"));
        Outcome o = run(specs, cfg);
        assertEquals(Outcome.Kind.INVARIANT_VIOLATED, o.kind(), o.message());
        assertEquals("ViewPremise", o.violated(), "the premise, not an isolation property, must catch it first");
    }

    /**
     * ContextOwnership's data path and interrupt path are checked apart (reduction 9), which
     * is sound only if no step of one writes the other's variables.  A mutant whose DMA
     * completion sets the context's interrupt bit itself breaks that; HalvesApart, a property
     * of every step of the whole composition, reports it on ownership-small.
     */
    @Test
    void aDataPathStepThatRaisesAnInterruptBreaksTheHalvesPremise() throws Exception {
        Path specs = mutatedSpecs("ContextOwnership.tla", "  /\\ Cdna!NicDma(c)\n  /\\ UNCHANGED <<iommuVars, ownVars, irqVars>>",
                "  /\\ Cdna!NicDma(c)\n  /\\ vector' = vector \\cup {c}\n"
                        + "  /\\ UNCHANGED <<iommuVars, ownVars, physIrq, taken, scanDue, owedTo>>");
        String cfg = Files.readString(MC.resolve("MCOwnershipSmall.cfg"))
                .replaceAll("(?m)^INVARIANT (?!TypeOK).*$", "");
        Outcome o = run("MCContextOwnership.tla", specs, cfg);
        assertEquals(Outcome.Kind.PROPERTY_VIOLATED, o.kind(), o.message());
    }
}
