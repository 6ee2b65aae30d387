-------------------------- MODULE IommuProtection --------------------------
(***************************************************************************)
(* IOMMU-based DMA protection.                                             *)
(*                                                                         *)
(* Guests write descriptors straight into their context's ring, so the     *)
(* descriptors are untrusted and the device may aim at any I/O virtual     *)
(* address (IOVA) at any time.  What stops it is the IOMMU: a context's    *)
(* requester ID selects a domain, the domain's page table translates       *)
(* IOVAs, and an IOTLB caches translations until they are invalidated.  A  *)
(* guest's driver asks the hypervisor to map a buffer before posting it    *)
(* and to unmap it after completion; what is mapped, and for how long, is  *)
(* the strategy:                                                           *)
(*   single-use  map each buffer, unmap it when it completes;              *)
(*   shared      one reference-counted mapping per page, for every buffer  *)
(*               on that page;                                             *)
(*   persistent  map on first use and keep the mapping after completion;   *)
(*   direct      map all of the guest's memory for as long as it owns it.  *)
(* The IOMMU maps whole pages.  Single-use can still confine the device to *)
(* the buffer's bytes by bouncing sub-page buffers through pages of their  *)
(* own (SubPageBounce), as Linux does for untrusted devices.               *)
(*                                                                         *)
(* A page need not have one owner: a slab or bounce-pool page holds small  *)
(* objects of several principals side by side (Thunderclap's network       *)
(* buffers next to kernel data).  SlicedPages are such pages: their upper  *)
(* half belongs to SliceOwner for good, their lower half to owner[p], so a *)
(* whole-page mapping of a buffer in the lower half exposes another        *)
(* principal's bytes.                                                      *)
(*                                                                         *)
(* IOVAs are identified with the pages they map.  A buffer is contiguous   *)
(* in IOVA space, so its second page can be any page: pages are symmetric. *)
(*                                                                         *)
(* Reductions (docs/reductions.md): the device is assumed to have cached  *)
(* every translation it could have used, so the IOTLB is kept only as the  *)
(* set of translations the page table no longer holds; device accesses     *)
(* change no state, so the properties are put on the device's reach.       *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
  \* Guest virtual machines; each may behave maliciously.
  Guests,
  \* The hypervisor as page owner; it also holds the free pool.
  Hyp,
  \* Machine pages (model values; symmetric, see above).
  Pages,
  \* Bytes per page; memory is modelled byte by byte ("cells").
  PageSize,
  \* Longest buffer a guest may map, in bytes.
  MaxLen,
  \* NIC contexts.
  Contexts,
  \* The assignments of contexts to guests the model starts from.
  InitCtxOwners,
  \* Most buffers a context may have mapped at once (its ring size).
  RingSize,
  \* The requester ID every context presents when they do not get one each.
  SharedRid,
  \* Design switch: "single-use", "shared", "persistent" or "direct".
  IommuStrategy,
  \* Design switch: "strict" (flush before an unmap returns) or "deferred" (batched).
  Invalidation,
  \* Design switch: under deferred invalidation, flush after this many unmaps.
  FlushBatch,
  \* Design switch: under deferred invalidation, flush before a page leaves its guest.
  FlushBeforeReuse,
  \* Design switch: every context has its own requester ID, hence its own domain.
  RequesterIdPerContext,
  \* Design switch: single-use bounces sub-page buffers, so a mapping exposes only the buffer's bytes.
  SubPageBounce,
  \* Pages whose upper half belongs to SliceOwner whoever owns the page (its lower half).
  SlicedPages,
  \* The principal (a guest, or Hyp) owning the upper half of every sliced page.
  SliceOwner

ASSUME IommuStrategy \in {"single-use", "shared", "persistent", "direct"}
ASSUME Invalidation \in {"strict", "deferred"}
ASSUME FlushBatch \in Nat \ {0}
ASSUME SlicedPages \subseteq Pages /\ SliceOwner \in Guests \cup {Hyp} /\ PageSize >= 2

VARIABLES
  \* owner[p]: who owns machine page p now (a guest, or Hyp).
  owner,
  \* ctxOwner[c]: the guest context c is assigned to (unchanged by this module's actions).
  ctxOwner,
  \* posted[c]: buffers c's guest has mapped for DMA and not yet unmapped.
  posted,
  \* persist[d]: cells the persistent strategy keeps mapped in domain d after their buffers completed.
  persist,
  \* iotlb[d]: cells d's IOTLB may still translate although its page table no longer maps them.
  iotlb,
  \* unflushed: unmaps since the last IOTLB flush (deferred invalidation).
  unflushed

vars == <<owner, ctxOwner, posted, persist, iotlb, unflushed>>

Owners == Guests \cup {Hyp}
Offsets == 0..PageSize-1
Cells == [page : Pages, off : Offsets]
PageOf(a) == a.page
PageCells(p) == {[page |-> p, off |-> i] : i \in Offsets}

\* A buffer lies in one page, or starts in one and ends in another (IOVA-contiguous).
Buffers ==
  {b \in [first : Pages, second : Pages, off : Offsets, len : 1..MaxLen] :
     IF b.first = b.second THEN b.off + b.len <= PageSize
                           ELSE b.off + b.len > PageSize /\ b.off + b.len <= 2 * PageSize}

CellsOf(b) ==
  IF b.first = b.second
    THEN {[page |-> b.first, off |-> i] : i \in b.off..(b.off + b.len - 1)}
    ELSE {[page |-> b.first, off |-> i] : i \in b.off..(PageSize - 1)}
         \cup {[page |-> b.second, off |-> i] : i \in 0..(b.off + b.len - 1 - PageSize)}
PagesOf(b) == {b.first, b.second}

\* Who owns cell a: its page's owner, but SliceOwner in the upper half of a sliced page.
CellOwner(a) ==
  IF a.page \in SlicedPages /\ a.off >= PageSize \div 2 THEN SliceOwner ELSE owner[a.page]

\* The domain (requester ID) of a context.
Dom(c) == IF RequesterIdPerContext THEN c ELSE SharedRid
Domains == {Dom(c) : c \in Contexts}
CtxsOf(d) == {c \in Contexts : Dom(c) = d}

\* What the hypervisor maps for one buffer.
MapOf(b) ==
  IF IommuStrategy = "single-use" /\ SubPageBounce
    THEN CellsOf(b)
    ELSE UNION {PageCells(p) : p \in PagesOf(b)}

\* The cells domain d's page table maps now.
PageTable(d) ==
  CASE IommuStrategy = "direct" ->
         UNION {PageCells(p) : p \in {q \in Pages : \E c \in CtxsOf(d) : owner[q] = ctxOwner[c]}}
    [] IommuStrategy = "persistent" ->
         persist[d] \cup UNION {MapOf(b) : b \in UNION {posted[c] : c \in CtxsOf(d)}}
    [] OTHER ->
         UNION {MapOf(b) : b \in UNION {posted[c] : c \in CtxsOf(d)}}

\* Cells of the buffers c's guest has posted and not yet unmapped.
PostedCells(c) == UNION {CellsOf(b) : b \in posted[c]}

\* Every cell the device can reach for c: its page table plus translations left in the IOTLB.
DeviceReach(c) == PageTable(Dom(c)) \cup iotlb[Dom(c)]

TypeOK ==
  /\ owner \in [Pages -> Owners]
  /\ ctxOwner \in [Contexts -> Guests]
  /\ posted \in [Contexts -> SUBSET Buffers]
  /\ \A c \in Contexts : Cardinality(posted[c]) <= RingSize
  /\ persist \in [Domains -> SUBSET Cells]
  /\ iotlb \in [Domains -> SUBSET Cells]
  /\ unflushed \in 0..FlushBatch

-----------------------------------------------------------------------------
(* Properties (same names as in DmaIsolation and in the Java checker).     *)

\* The abstract contract (specs/DmaIsolation.tla) seen through this design: its two
\* properties, applied to this design's owners, postings and device reach, are the
\* properties below, so there is one definition of each (docs/models.md says why
\* checking them is all a refinement check of the contract would add).
Contract == INSTANCE DmaIsolation WITH
  \* Ownership is per cell here (sliced pages), so the contract's pages are cells.
  Pages <- Cells, PageOf <- LAMBDA a : a,
  owner <- [a \in Cells |-> CellOwner(a)],
  Channels <- Contexts,
  chanOwner <- ctxOwner,
  posted <- [c \in Contexts |-> PostedCells(c)],
  reach <- [c \in Contexts |-> DeviceReach(c)]

\* Every DMA the device can make for c's guest hits a page that guest owns now.
InterGuestIsolation == Contract!InterGuestIsolation

\* The device can touch only bytes of buffers c's guest currently has posted.
IntraGuestProtection == Contract!IntraGuestProtection

-----------------------------------------------------------------------------
Init ==
  /\ owner = [p \in Pages |-> Hyp]
  /\ ctxOwner \in InitCtxOwners
  /\ posted = [c \in Contexts |-> {}]
  /\ persist = [d \in Domains |-> {}]
  /\ iotlb = [d \in Domains |-> {}]
  /\ unflushed = 0

(* Invalidation.  Every action that may shrink a page table ends with     *)
(* Invalidate, which says what becomes of the translations that left it.  *)

\* Strict: gone from the IOTLB at once.  Deferred: kept until the batch fills (or the page leaves its guest, with FlushBeforeReuse).
Invalidate(ownerChanged) ==
  LET removed == [d \in Domains |-> PageTable(d) \ PageTable(d)']
      unmaps == Cardinality({d \in Domains : removed[d] # {}})
      flush == \/ Invalidation = "strict"
               \/ unflushed + unmaps >= FlushBatch
               \/ ownerChanged /\ FlushBeforeReuse
  IN IF flush
       THEN /\ iotlb' = [d \in Domains |-> {}]
            /\ unflushed' = 0
       ELSE /\ iotlb' = [d \in Domains |-> (iotlb[d] \cup removed[d]) \ PageTable(d)']
            /\ unflushed' = unflushed + unmaps

(* Guest memory management.                                               *)

\* The hypervisor gives free page p to guest g (the direct strategy maps it at once).
AllocatePage(g, p) ==
  /\ owner[p] = Hyp
  /\ owner' = [owner EXCEPT ![p] = g]
  /\ UNCHANGED <<ctxOwner, posted, persist, unflushed>>
  /\ iotlb' = [d \in Domains |-> iotlb[d] \ PageTable(d)']

\* The hypervisor takes page p away from guest g: its mappings go (DMA to p now faults) and the page moves to newOwner.
Reclaim(g, p, newOwner) ==
  /\ owner[p] = g
  /\ owner' = [owner EXCEPT ![p] = newOwner]
  /\ posted' = [c \in Contexts |->
                  IF ctxOwner[c] = g THEN {b \in posted[c] : p \notin PagesOf(b)} ELSE posted[c]]
  /\ persist' = [d \in Domains |-> persist[d] \ PageCells(p)]
  /\ UNCHANGED ctxOwner
  /\ Invalidate(TRUE)

\* Guest g returns page p to the free pool.
FreePage(g, p) == Reclaim(g, p, Hyp)

\* Guest g hands page p to guest h.
TransferPage(g, h, p) == g # h /\ Reclaim(g, p, h)

(* The map and unmap hypercalls of the guest's DMA API.                   *)

\* c's guest maps buffer b for DMA on c; the hypervisor maps only buffers whose every byte the guest owns.
MapBuffer(c, b) ==
  /\ Cardinality(posted[c]) < RingSize
  /\ b \notin posted[c]
  /\ \A a \in CellsOf(b) : CellOwner(a) = ctxOwner[c]
  /\ posted' = [posted EXCEPT ![c] = @ \cup {b}]
  /\ UNCHANGED <<owner, ctxOwner, persist, unflushed>>
  /\ iotlb' = [d \in Domains |-> iotlb[d] \ PageTable(d)']

\* c's DMA on b completed and its guest unmaps b (the persistent strategy keeps the pages mapped).
UnmapBuffer(c, b) ==
  /\ b \in posted[c]
  /\ posted' = [posted EXCEPT ![c] = @ \ {b}]
  /\ persist' = IF IommuStrategy = "persistent"
                  THEN [persist EXCEPT ![Dom(c)] = @ \cup MapOf(b)]
                  ELSE persist
  /\ Invalidate(FALSE)
  /\ UNCHANGED <<owner, ctxOwner>>

\* The periodic timer of deferred invalidation flushes the IOTLB.
FlushIotlb ==
  /\ \E d \in Domains : iotlb[d] # {}
  /\ iotlb' = [d \in Domains |-> {}]
  /\ unflushed' = 0
  /\ UNCHANGED <<owner, ctxOwner, posted, persist>>

-----------------------------------------------------------------------------
\* Every \E ranges over a constant set, so TLC can name each action in its coverage
\* (UnmapBuffer checks b \in posted[c] itself).
Next ==
  \/ \E g \in Guests, p \in Pages : AllocatePage(g, p) \/ FreePage(g, p)
  \/ \E g, h \in Guests, p \in Pages : TransferPage(g, h, p)
  \/ \E c \in Contexts :
       \/ \E b \in Buffers : MapBuffer(c, b)
       \/ \E b \in Buffers : UnmapBuffer(c, b)
  \/ FlushIotlb

Spec == Init /\ [][Next]_vars

=============================================================================
