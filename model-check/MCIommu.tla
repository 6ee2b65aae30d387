------------------------------- MODULE MCIommu ------------------------------
(* Model values, symmetry and trace labelling for checking IommuProtection. *)
EXTENDS IommuProtection, TLC

\* Start from every assignment of contexts to guests, so guests and contexts are each fully symmetric.
MCInitCtxOwners == [Contexts -> Guests]

\* Sound: no definition singles out a guest, a context or a page (IOVA contiguity joins
\* the pages of a buffer, not machine order; SharedRid is not permuted).
MCSymmetry == Permutations(Guests) \cup Permutations(Contexts) \cup Permutations(Pages)

\* Every action instance of Next, by name and parameters (for trace labelling).
TraceActions ==
  [AllocatePage |-> [g : Guests, p : Pages],
   FreePage |-> [g : Guests, p : Pages],
   TransferPage |-> [g : Guests, h : Guests, p : Pages],
   MapBuffer |-> [c : Contexts, b : Buffers],
   UnmapBuffer |-> [c : Contexts, b : Buffers],
   FlushIotlb |-> [none : {0}]]

\* Performs the action instance x of the action called name.
Fire(name, x) ==
  CASE name = "AllocatePage" -> AllocatePage(x.g, x.p)
    [] name = "FreePage" -> FreePage(x.g, x.p)
    [] name = "TransferPage" -> TransferPage(x.g, x.h, x.p)
    [] name = "MapBuffer" -> MapBuffer(x.c, x.b)
    [] name = "UnmapBuffer" -> x.b \in posted[x.c] /\ UnmapBuffer(x.c, x.b)
    [] name = "FlushIotlb" -> FlushIotlb

\* Next, rebuilt from the labelled instances (checked against Next by a test).
FiredNext == \E name \in DOMAIN TraceActions : \E x \in TraceActions[name] : Fire(name, x)
FiredSpec == Init /\ [][FiredNext]_vars
=============================================================================
