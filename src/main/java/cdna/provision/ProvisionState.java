package cdna.provision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Java twin's state as Provisioning's variables, in TLA+'s terms: Integer
 * and Boolean, a List for a function on 1..n and a Set for a set.
 * Conformance compares it with TLC's states, variable by variable.
 */
public final class ProvisionState {
    private ProvisionState() {}

    /** The spec's variables, in the order the spec declares them. */
    public static final List<String> VARIABLES = List.of("assigned", "tokens", "backlog", "sentNow", "covNow", "histSent", "histCov");

    public static Map<String, Object> of(ProvisionedHost h) {
        int n = h.config().contexts();
        Map<String, Object> v = new LinkedHashMap<>();
        Set<Integer> assigned = new TreeSet<>();
        Set<Integer> backlog = new TreeSet<>();
        List<Object> tokens = new ArrayList<>();
        List<Object> sentNow = new ArrayList<>();
        List<Object> covNow = new ArrayList<>();
        List<Object> histSent = new ArrayList<>();
        List<Object> histCov = new ArrayList<>();
        for (int c = 1; c <= n; c++) {
            if (h.assigned[c]) assigned.add(c);
            if (h.backlog[c]) backlog.add(c);
            tokens.add(h.tokens(c));
            sentNow.add(h.sentNow(c));
            covNow.add(h.covNow[c]);
            List<Object> s = new ArrayList<>();
            List<Object> k = new ArrayList<>();
            for (int i = 0; i < h.config().window(); i++) {
                s.add(h.histSent[c][i]);
                k.add(h.histCov[c][i]);
            }
            histSent.add(s);
            histCov.add(k);
        }
        v.put("assigned", assigned);
        v.put("tokens", tokens);
        v.put("backlog", backlog);
        v.put("sentNow", sentNow);
        v.put("covNow", covNow);
        v.put("histSent", histSent);
        v.put("histCov", histCov);
        return v;
    }
}
