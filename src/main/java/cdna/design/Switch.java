package cdna.design;

import java.util.List;

/**
 * The design switches.  Each name is, letter for letter, a TLA+ CONSTANT of the
 * specs and a key of the design files in model-check/designs/.
 */
public enum Switch {
    /** "software" (CDNA validation by the hypervisor) or "iommu". */
    Protection(Kind.CHOICE, List.of("software", "iommu")),
    /** Software: validate every page a buffer touches (false: only its first page). */
    ValidateAllPages(Kind.BOOL, List.of()),
    /** Software: pin a buffer's pages while its descriptor is outstanding. */
    PinPages(Kind.BOOL, List.of()),
    /** Software: tag descriptors with per-context sequence numbers the NIC checks. */
    SequenceNumbers(Kind.BOOL, List.of()),
    /** IOMMU: what is mapped and for how long. */
    IommuStrategy(Kind.CHOICE, List.of("single-use", "shared", "persistent", "direct")),
    /** IOMMU: "strict" (flush before unmap returns) or "deferred" (batched). */
    Invalidation(Kind.CHOICE, List.of("strict", "deferred")),
    /** IOMMU, deferred: flush after this many unmaps. */
    FlushBatch(Kind.INT, List.of()),
    /** IOMMU, deferred: flush before a page leaves its guest. */
    FlushBeforeReuse(Kind.BOOL, List.of()),
    /** IOMMU: every context has its own requester ID, hence its own domain. */
    RequesterIdPerContext(Kind.BOOL, List.of()),
    /** IOMMU, single-use: bounce sub-page buffers so a mapping exposes only the buffer's bytes. */
    SubPageBounce(Kind.BOOL, List.of()),
    /** Revocation: how a stopped context is quiesced before it changes hands. */
    RevokeQuiesce(Kind.CHOICE, List.of("reset", "drain-all", "drain-inflight", "none")),
    /** Revocation, IOMMU: flush the IOTLB when a context's mappings (its domain) change. */
    FlushOnDomainChange(Kind.BOOL, List.of()),
    /** Revocation: the outgoing guest loses its doorbell and ring mappings when the context is stopped. */
    UnmapGuestAccessOnStop(Kind.BOOL, List.of()),
    /** Interrupts: take the set bits and clear exactly those (false: clear the vector, then scan it). */
    ScanBeforeClear(Kind.BOOL, List.of()),
    /** Interrupts: MSIs pass through interrupt remapping. */
    InterruptRemapping(Kind.BOOL, List.of()),
    /** Interrupts: settle a pending interrupt with the owner it was raised under before the context changes hands. */
    DeliverToEventOwner(Kind.BOOL, List.of());

    public enum Kind { BOOL, INT, CHOICE }

    private final Kind kind;
    private final List<String> choices;

    Switch(Kind kind, List<String> choices) {
        this.kind = kind;
        this.choices = choices;
    }

    public Kind kind() { return kind; }

    public List<String> choices() { return choices; }

    /** The value as a TLA+ constant in a TLC config file. */
    public String toTla(Object value) {
        return switch (kind) {
            case BOOL -> ((Boolean) value) ? "TRUE" : "FALSE";
            case INT -> Long.toString(((Number) value).longValue());
            case CHOICE -> "\"" + value + "\"";
        };
    }
}
