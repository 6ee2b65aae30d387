------------------------------- MODULE MCIommu ------------------------------
(* Model values and symmetry for checking IommuProtection with TLC.        *)
EXTENDS IommuProtection, TLC

\* Start from every assignment of contexts to guests, so guests and contexts are each fully symmetric.
MCInitCtxOwners == [Contexts -> Guests]

\* Sound: no definition singles out a guest, a context or a page (IOVA contiguity joins
\* the pages of a buffer, not machine order; SharedRid is not permuted).
MCSymmetry == Permutations(Guests) \cup Permutations(Contexts) \cup Permutations(Pages)
=============================================================================
