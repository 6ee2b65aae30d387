package cdna.proof;

import cdna.design.Design;

/** Which encoding proves a design: its protection mode's spec. */
public final class Proofs {
    private Proofs() {}

    /** @throws IllegalArgumentException for a design no encoding covers, saying which are covered */
    public static Encoding<?> encodingOf(Design d) {
        return switch (d.protection()) {
            case SOFTWARE -> new CdnaEncoding(d);
            case IOMMU -> new IommuEncoding(d);
        };
    }
}
