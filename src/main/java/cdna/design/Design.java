package cdna.design;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One design: a value for every {@link Switch}.  The same values become TLA+
 * CONSTANTS for TLC and configure the Java reference implementation.
 * Immutable; {@link #with} derives a variant.
 */
public final class Design {
    public enum Protection { SOFTWARE, IOMMU }
    public enum IommuStrategy { SINGLE_USE, SHARED, PERSISTENT, DIRECT }
    public enum Invalidation { STRICT, DEFERRED }

    private final String name;
    private final String description;
    private final EnumMap<Switch, Object> values;

    public Design(String name, String description, Map<Switch, Object> values) {
        this.name = Objects.requireNonNull(name);
        this.description = description == null ? "" : description;
        EnumMap<Switch, Object> v = new EnumMap<>(Switch.class);
        v.putAll(values);
        for (Switch s : Switch.values()) {
            Object x = v.get(s);
            if (x == null) throw new IllegalArgumentException("design " + name + ": no value for switch " + s);
            boolean ok = switch (s.kind()) {
                case BOOL -> x instanceof Boolean;
                case INT -> x instanceof Long || x instanceof Integer;
                case CHOICE -> x instanceof String str && s.choices().contains(str);
            };
            if (!ok) throw new IllegalArgumentException("design " + name + ": bad value " + x + " for switch " + s);
            if (x instanceof Integer i) v.put(s, i.longValue());
        }
        if ((Long) v.get(Switch.FlushBatch) < 1) {
            throw new IllegalArgumentException("design " + name + ": FlushBatch must be at least 1");
        }
        this.values = v;
    }

    /** The safe software (CDNA) baseline. */
    public static Design cdnaBaseline() {
        return new Design("cdna-baseline", "CDNA software protection with every safeguard", baselineValues("software"));
    }

    /** The safe IOMMU baseline: single-use mappings, strict invalidation. */
    public static Design iommuBaseline() {
        return new Design("iommu-baseline", "IOMMU single-use mappings, strict invalidation", baselineValues("iommu"));
    }

    private static Map<Switch, Object> baselineValues(String protection) {
        EnumMap<Switch, Object> v = new EnumMap<>(Switch.class);
        v.put(Switch.Protection, protection);
        v.put(Switch.ValidateAllPages, true);
        v.put(Switch.PinPages, true);
        v.put(Switch.SequenceNumbers, true);
        v.put(Switch.IommuStrategy, "single-use");
        v.put(Switch.Invalidation, "strict");
        v.put(Switch.FlushBatch, 2L);
        v.put(Switch.FlushBeforeReuse, false);
        v.put(Switch.RequesterIdPerContext, true);
        v.put(Switch.SubPageBounce, true);
        v.put(Switch.RevokeQuiesce, "reset");
        v.put(Switch.FlushOnDomainChange, true);
        v.put(Switch.UnmapGuestAccessOnStop, true);
        v.put(Switch.ScanBeforeClear, true);
        v.put(Switch.InterruptRemapping, true);
        v.put(Switch.DeliverToEventOwner, true);
        return v;
    }

    /** A copy with one switch changed (and a new name). */
    public Design with(String newName, Switch s, Object value) {
        EnumMap<Switch, Object> v = new EnumMap<>(values);
        v.put(s, value);
        return new Design(newName, description, v);
    }

    public String name() { return name; }
    public String description() { return description; }
    public Object get(Switch s) { return values.get(s); }
    public Map<Switch, Object> values() { return Collections.unmodifiableMap(values); }

    public Protection protection() {
        return "iommu".equals(values.get(Switch.Protection)) ? Protection.IOMMU : Protection.SOFTWARE;
    }
    public boolean validateAllPages() { return (Boolean) values.get(Switch.ValidateAllPages); }
    public boolean pinPages() { return (Boolean) values.get(Switch.PinPages); }
    public boolean sequenceNumbers() { return (Boolean) values.get(Switch.SequenceNumbers); }
    public IommuStrategy iommuStrategy() {
        return switch ((String) values.get(Switch.IommuStrategy)) {
            case "single-use" -> IommuStrategy.SINGLE_USE;
            case "shared" -> IommuStrategy.SHARED;
            case "persistent" -> IommuStrategy.PERSISTENT;
            default -> IommuStrategy.DIRECT;
        };
    }
    public Invalidation invalidation() {
        return "deferred".equals(values.get(Switch.Invalidation)) ? Invalidation.DEFERRED : Invalidation.STRICT;
    }
    public int flushBatch() { return ((Long) values.get(Switch.FlushBatch)).intValue(); }
    public boolean flushBeforeReuse() { return (Boolean) values.get(Switch.FlushBeforeReuse); }
    public boolean requesterIdPerContext() { return (Boolean) values.get(Switch.RequesterIdPerContext); }
    public boolean subPageBounce() { return (Boolean) values.get(Switch.SubPageBounce); }
    /** "reset", "drain-all", "drain-inflight" or "none". */
    public String revokeQuiesce() { return (String) values.get(Switch.RevokeQuiesce); }
    public boolean flushOnDomainChange() { return (Boolean) values.get(Switch.FlushOnDomainChange); }
    public boolean unmapGuestAccessOnStop() { return (Boolean) values.get(Switch.UnmapGuestAccessOnStop); }
    public boolean scanBeforeClear() { return (Boolean) values.get(Switch.ScanBeforeClear); }
    public boolean interruptRemapping() { return (Boolean) values.get(Switch.InterruptRemapping); }
    public boolean deliverToEventOwner() { return (Boolean) values.get(Switch.DeliverToEventOwner); }

    @Override public boolean equals(Object o) {
        return o instanceof Design d && d.name.equals(name) && d.values.equals(values);
    }
    @Override public int hashCode() { return Objects.hash(name, values); }
    @Override public String toString() { return name + values; }
}
