package cdna.conformance;

import cdna.check.Cfg;
import cdna.design.Design;
import cdna.design.Mutant;
import cdna.json.InputException;
import cdna.migration.Handoff;
import cdna.migration.HandoffChecker;
import cdna.migration.HandoffState;
import cdna.sim.HostSystem;
import cdna.trace.TlaValue;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java side of a state-graph replay ({@link GraphReplay}): how to build the machine of an
 * initial state, copy it, take a labelled step on it, read its state in the spec's variables,
 * and ask its checker what a step broke.  One twin per kind of model: the host machine
 * ({@link HostSystem}: CdnaProtection, IommuProtection, ContextOwnership) and the migration
 * twin ({@link Handoff}: MigrationHandoff).
 *
 * @param <M> the machine
 */
interface Twin<M> {
    /** The spec's variables, in the order the graph's states are compared. */
    List<String> variables();

    /** The machine in the initial state whose variables are given. */
    M initial(Map<String, TlaValue> vars, String where) throws InputException;

    M copy(M m);

    /** Takes the labelled step; null if the machine took it, else why it refused. */
    String step(M m, Trace.State st) throws InputException;

    /** The machine's state in the spec's variables (normalized JSON). */
    Map<String, JsonNode> state(M m);

    /** What the machine's own checker flags after the step from before to after and did not before, or null. */
    String flagged(M before, M after);

    /** The twin for a model's cfg under design, with faults planted in the host machine's code (tests). */
    static Twin<?> of(Cfg cfg, Design design, Set<Mutant> mutants) throws InputException {
        if (FullVirtReplay.isFullVirt(cfg)) return new FullVirtTwin(cfg, design);
        return MigrationReplay.isMigration(cfg) ? new MigrationTwin(cfg, design) : new HostTwin(cfg, design, mutants);
    }

    /** The host machine with the model setup of its contexts' first owners. */
    record Host(HostSystem s, ModelSetup m) {}

    final class HostTwin implements Twin<Host> {
        private final Cfg cfg;
        private final Design design;
        private final Set<Mutant> mutants;
        private final Map<List<String>, ModelSetup> setups = new HashMap<>();
        private final List<String> notes = new ArrayList<>();
        private final List<String> variables;

        HostTwin(Cfg cfg, Design design, Set<Mutant> mutants) throws InputException {
            this.cfg = cfg;
            this.design = design;
            this.mutants = mutants;
            // The variables do not depend on the owners.
            ModelSetup any = ModelSetup.build(cfg, design, firstOwners(cfg));
            this.variables = any.variables();
        }

        private static List<String> firstOwners(Cfg cfg) throws InputException {
            ModelSetup.Constants k = new ModelSetup.Constants(cfg);
            List<String> r = new ArrayList<>();
            for (String ignored : k.names("Contexts")) r.add(k.names("Guests").get(0));
            return r;
        }

        @Override public List<String> variables() { return variables; }

        @Override
        public Host initial(Map<String, TlaValue> vars, String where) throws InputException {
            TlaValue owners = vars.get("ctxOwner");
            if (owners == null) throw new InputException(where + ": the state has no ctxOwner");
            JsonNode j = owners.toJson();
            // ModelSetup lists contexts in the cfg's order; the owners must follow it.
            List<String> ordered = new ArrayList<>();
            for (String c : new ModelSetup.Constants(cfg).names("Contexts")) {
                JsonNode g = j.get(c);
                if (g == null) throw new InputException(where + ": ctxOwner has no entry for context " + c);
                ordered.add(g.asText());
            }
            ModelSetup m = setups.get(ordered);
            if (m == null) {
                m = ModelSetup.build(cfg, design, ordered);
                setups.put(ordered, m);
            }
            return new Host(new HostSystem(m.config(), design, mutants), m);
        }

        @Override public Host copy(Host h) { return new Host(h.s().copy(), h.m()); }

        @Override
        public String step(Host h, Trace.State st) throws InputException {
            notes.clear();
            return Steps.apply(h.s(), h.m(), st, notes);
        }

        @Override public Map<String, JsonNode> state(Host h) { return Abstraction.of(h.s(), h.m()); }

        @Override
        public String flagged(Host before, Host after) {
            List<cdna.sim.Violation> vs = after.s().checker().violations();
            int seen = before.s().checker().violations().size();
            if (vs.size() <= seen) return null;
            cdna.sim.Violation v = vs.get(seen);
            return v.property() + " (" + v.kind() + "): " + v.detail();
        }
    }

    final class MigrationTwin implements Twin<Handoff> {
        private final cdna.migration.HandoffConfig config;
        private final Design design;

        MigrationTwin(Cfg cfg, Design design) throws InputException {
            this.config = MigrationReplay.config(cfg);
            this.design = design;
        }

        @Override public List<String> variables() { return HandoffState.VARIABLES; }

        @Override public Handoff initial(Map<String, TlaValue> vars, String where) { return new Handoff(config, design); }

        @Override public Handoff copy(Handoff h) { return h.copy(); }

        @Override
        public String step(Handoff h, Trace.State st) throws InputException {
            return MigrationReplay.apply(h, st) ? null : "the twin refuses " + st.label() + " (its method returned false)";
        }

        @Override public Map<String, JsonNode> state(Handoff h) { return MigrationReplay.state(h); }

        @Override
        public String flagged(Handoff before, Handoff after) {
            Map<String, String> was = HandoffChecker.violations(before);
            for (var e : HandoffChecker.violations(after).entrySet()) {
                if (!was.containsKey(e.getKey())) return e.getKey() + ": " + e.getValue();
            }
            return null;
        }
    }

    /** The full-virtualization host ({@link cdna.sim.FullVirtHost}: FullVirtualization). */
    final class FullVirtTwin implements Twin<cdna.sim.FullVirtHost> {
        private final Cfg cfg;
        private final Design design;
        private final FullVirtReplay.Model model;

        FullVirtTwin(Cfg cfg, Design design) throws InputException {
            this.cfg = cfg;
            this.design = design;
            this.model = FullVirtReplay.model(cfg);
        }

        @Override public List<String> variables() { return FullVirtReplay.VARIABLES; }

        @Override
        public cdna.sim.FullVirtHost initial(Map<String, TlaValue> vars, String where) throws InputException {
            TlaValue owners = vars.get("ctxOwner");
            if (owners == null) throw new InputException(where + ": the state has no ctxOwner");
            JsonNode j = owners.toJson();
            List<String> ordered = new ArrayList<>();
            for (String c : model.contexts()) {
                JsonNode g = j.get(c);
                if (g == null) throw new InputException(where + ": ctxOwner has no entry for context " + c);
                ordered.add(g.asText());
            }
            return FullVirtReplay.host(model, cfg, design, ordered);
        }

        @Override public cdna.sim.FullVirtHost copy(cdna.sim.FullVirtHost h) { return h.copy(); }

        @Override
        public String step(cdna.sim.FullVirtHost h, Trace.State st) throws InputException {
            return FullVirtReplay.apply(h, st) ? null : "the twin refuses " + st.label() + " (its method returned false)";
        }

        @Override public Map<String, JsonNode> state(cdna.sim.FullVirtHost h) { return FullVirtReplay.state(h, model); }

        @Override
        public String flagged(cdna.sim.FullVirtHost before, cdna.sim.FullVirtHost after) {
            List<cdna.sim.Violation> was = before.violations(), now = after.violations();
            return now.size() > was.size() ? now.get(was.size()).toString() : null;
        }
    }
}
