------------------------------- MODULE MCIommu ------------------------------
(* Model values, symmetry and trace labelling for checking IommuProtection. *)
EXTENDS IommuProtection, TLC

\* Start from every assignment of contexts to guests, so guests and contexts are each fully symmetric.
MCInitCtxOwners == [Contexts -> Guests]

\* Sound: no definition singles out a guest, a context or a page (IOVA contiguity joins
\* the pages of a buffer, not machine order; SharedRid is not permuted), except the
\* sliced pages and the owner of their upper halves, which are left in place.
MCSymmetry ==
  Permutations(Guests \ {SliceOwner}) \cup Permutations(Contexts) \cup Permutations(Pages \ SlicedPages)

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

(* Reachability witnesses (docs/vacuity.md).  Each describes a dangerous   *)
(* situation that a property guards against.  A safe design must still be  *)
(* able to get there, or its "holds" says nothing: the checker asks TLC for *)
(* a trace to each (as an invariant ~W it must find violated), and a        *)
(* witness it cannot reach makes the verdict "vacuous".                     *)

\* A buffer is mapped for c's device while another guest owns memory: what a stale or shared mapping would expose.
WitnessMappedBesideForeign ==
  \E c \in Contexts : posted[c] # {} /\ \E p \in Pages : owner[p] \notin {ctxOwner[c], Hyp}

\* A mapped buffer shares its page with bytes of its guest outside the buffer: what mapping whole pages exposes.
WitnessSubPageBuffer ==
  \E c \in Contexts : \E b \in posted[c] : b.first = b.second /\ b.len < PageSize

\* A mapped buffer spans two pages.
WitnessTwoPageBuffer ==
  \E c \in Contexts : \E b \in posted[c] : b.first # b.second

\* A buffer is mapped in a sliced page whose other half belongs to another principal: what a
\* whole-page mapping exposes across principals.  (A model without sliced pages claims nothing
\* about them; there it asks only for a mapped buffer.)
WitnessBufferBesideSlice ==
  \E c \in Contexts : \E b \in posted[c] :
    SlicedPages = {} \/ (b.first \in SlicedPages /\ SliceOwner # ctxOwner[c])

\* The IOTLB still translates cells whose mapping is gone: the window deferred invalidation leaves open.
WitnessStaleTranslation ==
  \E d \in Domains : iotlb[d] # {}
=============================================================================
