------------------------- MODULE FullVirtualization -------------------------
(***************************************************************************)
(* Full virtualization: the guest runs an unmodified driver, which writes  *)
(* guest-physical addresses (GPAs) into its descriptors.  The hypervisor   *)
(* keeps each guest's physical-to-machine map (p2m): GPA page -> machine   *)
(* page, or NoPage where the guest has no memory.  Two translation designs *)
(* (the Protection switch):                                                *)
(*   "software"  the hypervisor traps the descriptor write, translates the *)
(*               GPA through the p2m, checks that the machine page is the  *)
(*               guest's (as CDNA validates a buffer) and posts the        *)
(*               machine address, pinning the page while it is posted;     *)
(*   "iommu"     the device takes GPAs as they are and the IOMMU domain of *)
(*               the guest's context maps GPA -> machine page from the     *)
(*               p2m: whatever GPA a hostile guest writes, the device      *)
(*               reaches only what the p2m maps (strict invalidation).     *)
(* A GPA the p2m does not map is outside the guest's memory.  The          *)
(* hypervisor's translation passes such an address through unchanged (the  *)
(* guest-physical space of the models is the machine's page numbering, as  *)
(* for an identity-mapped hole), so only the ownership check after the     *)
(* translation stands between it and a foreign frame (CheckTranslatedOwner *)
(* FALSE is the known-bad design).                                         *)
(*                                                                         *)
(* Memory is modelled page by page (a buffer is a page; the byte-level     *)
(* questions are CdnaProtection's and IommuProtection's).  The contract is *)
(* DmaIsolation's, instantiated with machine pages as cells.               *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
  \* Guest virtual machines; each may behave maliciously.
  Guests,
  \* The hypervisor as page owner; it also holds the free pool.
  Hyp,
  \* Number of machine pages (1..NPages).
  NPages,
  \* Number of guest-physical pages of each guest (GPAs 1..NGuestPages, at most NPages).
  NGuestPages,
  \* Stands for "no machine page": a GPA the p2m does not map.
  NoPage,
  \* NIC contexts, each driven by one guest.
  Contexts,
  \* The assignments of contexts to guests the model starts from.
  InitCtxOwners,
  \* Buffers posted per context at once.
  RingSize,
  \* Design switch: "software" (the hypervisor traps and translates) or "iommu" (the IOMMU maps GPA -> machine page).
  Protection,
  \* Design switch: the hypervisor checks that a translated machine page is the guest's before posting it.
  CheckTranslatedOwner

ASSUME Protection \in {"software", "iommu"}
ASSUME NGuestPages \in 1..NPages /\ NoPage \notin 1..NPages

VARIABLES
  \* owner[p]: who owns machine page p now (a guest, or Hyp).
  owner,
  \* ctxOwner[c]: the guest driving context c.
  ctxOwner,
  \* p2m[g][gp]: the machine page at guest g's physical page gp, or NoPage.
  p2m,
  \* posted[c]: what c's guest has posted: machine pages (software) or GPAs (iommu).
  posted

vars == <<owner, ctxOwner, p2m, posted>>

Pages == 1..NPages
GPages == 1..NGuestPages
Owners == Guests \cup {Hyp}
Software == Protection = "software"

\* The hypervisor's translation of guest g's GPA gp: through the p2m, and unchanged where the p2m has no entry.
Translate(g, gp) == IF p2m[g][gp] # NoPage THEN p2m[g][gp] ELSE gp

\* The machine pages the device can touch for c: the posted machine pages (software), or
\* everything the guest's IOMMU domain maps (iommu): a hostile guest may write any GPA.
DeviceReach(c) ==
  IF Software THEN posted[c]
  ELSE {p2m[ctxOwner[c]][gp] : gp \in {x \in GPages : p2m[ctxOwner[c]][x] # NoPage}}

\* The machine pages of the buffers c's guest has posted (through the p2m, for posted GPAs).
PostedPages(c) ==
  IF Software THEN posted[c]
  ELSE {p2m[ctxOwner[c]][gp] : gp \in {x \in posted[c] : x \in GPages /\ p2m[ctxOwner[c]][x] # NoPage}}

\* Machine pages a posted buffer keeps pinned (software): the guest cannot give them back meanwhile.
Pinned == IF Software THEN UNION {posted[c] : c \in Contexts} ELSE {}

TypeOK ==
  /\ owner \in [Pages -> Owners]
  /\ ctxOwner \in [Contexts -> Guests]
  /\ p2m \in [Guests -> [GPages -> Pages \cup {NoPage}]]
  /\ posted \in [Contexts -> SUBSET Pages]
  /\ \A c \in Contexts : Cardinality(posted[c]) <= RingSize

-----------------------------------------------------------------------------
(* Properties: the contract's, through this design's owners and reach.     *)

Contract == INSTANCE DmaIsolation WITH
  Cells <- Pages, PageOf <- LAMBDA a : a,
  Channels <- Contexts, chanOwner <- ctxOwner,
  posted <- [c \in Contexts |-> PostedPages(c)],
  reach <- [c \in Contexts |-> DeviceReach(c)]

\* Every DMA the device can make for c's guest hits a machine page that guest owns now.
InterGuestIsolation == Contract!InterGuestIsolation

-----------------------------------------------------------------------------
Init ==
  /\ owner = [p \in Pages |-> Hyp]
  /\ ctxOwner \in InitCtxOwners
  /\ p2m = [g \in Guests |-> [gp \in GPages |-> NoPage]]
  /\ posted = [c \in Contexts |-> {}]

\* The hypervisor gives free machine page p to guest g at its physical page gp.
AllocatePage(g, gp, p) ==
  /\ owner[p] = Hyp
  /\ p2m[g][gp] = NoPage
  /\ owner' = [owner EXCEPT ![p] = g]
  /\ p2m' = [p2m EXCEPT ![g][gp] = p]
  /\ UNCHANGED <<ctxOwner, posted>>

\* Guest g gives its physical page gp back (a balloon driver): the p2m entry goes, and with it
\* the IOMMU mapping (strict invalidation); a page a posted descriptor pins is refused.
FreePage(g, gp) ==
  /\ p2m[g][gp] # NoPage
  /\ p2m[g][gp] \notin Pinned
  /\ owner' = [owner EXCEPT ![p2m[g][gp]] = Hyp]
  /\ p2m' = [p2m EXCEPT ![g][gp] = NoPage]
  /\ UNCHANGED <<ctxOwner, posted>>

\* c's guest writes GPA gp into a descriptor.  Software: the hypervisor traps the write, translates
\* and (CheckTranslatedOwner) checks the machine page, and posts it.  IOMMU: the GPA goes as it is.
PostBuffer(c, gp) ==
  LET g == ctxOwner[c]
      mp == Translate(g, gp)
  IN /\ Cardinality(posted[c]) < RingSize
     /\ IF Software
          THEN /\ CheckTranslatedOwner => owner[mp] = g
               /\ mp \notin posted[c]
               /\ posted' = [posted EXCEPT ![c] = @ \cup {mp}]
          ELSE /\ gp \notin posted[c]
               /\ posted' = [posted EXCEPT ![c] = @ \cup {gp}]
     /\ UNCHANGED <<owner, ctxOwner, p2m>>

\* The NIC completes a posted buffer b and the guest's driver reaps it.
CompleteBuffer(c, b) ==
  /\ b \in posted[c]
  /\ posted' = [posted EXCEPT ![c] = @ \ {b}]
  /\ UNCHANGED <<owner, ctxOwner, p2m>>

\* Every \E ranges over a constant set, so TLC can name each action in its coverage.
Next ==
  \/ \E g \in Guests, gp \in GPages, p \in Pages : AllocatePage(g, gp, p)
  \/ \E g \in Guests, gp \in GPages : FreePage(g, gp)
  \/ \E c \in Contexts, gp \in GPages : PostBuffer(c, gp)
  \/ \E c \in Contexts, b \in Pages : CompleteBuffer(c, b)

Spec == Init /\ [][Next]_vars

=============================================================================
