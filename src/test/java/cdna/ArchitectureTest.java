package cdna;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of the cdna packages (docs/architecture.md draws it).  A package
 * uses only packages below it:
 * <pre>
 *   cli                              the commands; nothing depends on cli
 *   report                           renders certificates, explorations and check results (reads their data)
 *   explore                          a design space: certifies each design (certify) and joins its costs (costs)
 *   certify                          for one design: which models apply, their runs, the implementation checks
 *   conformance                      replay stage: a TLC counterexample on the Java implementation
 *   check                            TLC stage: cfg, manifest, TLC runs, counterexample files (design, json, trace only)
 *   proof                            all-sizes proofs with Z3, beside check (design only)
 *   costs  guest                     cost model; guest drivers and fuzzing (on the composed host)
 *   sim                              the composed host (HostSystem) and the isolation checker
 *   hypervisor                       the hardware: the hypervisor drives the devices,
 *   memory  nic  iommu                 the devices depend on no other cdna package
 *   design  trace                    configuration (switches, design files); TLA+ values
 *   json                             located JSON input
 * </pre>
 * The pipeline reads check → replay (conformance) → report, orchestrated by cli
 * and certify; a lower stage never calls a higher one (the checker is handed a
 * {@code ModelChecker.Replayer} instead of importing conformance).  The hardware
 * may read its configuration (design) and nothing else of cdna.
 * <p>
 * ArchUnit sees every class-level dependency in the bytecode: imports,
 * fully-qualified references, method references, field and parameter types.
 */
@AnalyzeClasses(packages = "cdna", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] HARDWARE = {"cdna.memory..", "cdna.nic..", "cdna.iommu..", "cdna.hypervisor.."};
    private static final String[] DEVICES = {"cdna.memory..", "cdna.nic..", "cdna.iommu.."};

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("cdna.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theHardwareReadsOnlyItsDesign = classes()
            .that().resideInAnyPackage(HARDWARE)
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "java..", "cdna.memory..", "cdna.nic..", "cdna.iommu..", "cdna.hypervisor..", "cdna.design..")
            .because("the hardware is configured by a design and knows nothing of the host, the guests or the tools");

    @ArchTest
    static final ArchRule theHardwareDependsOnNothingAboveIt = noClasses()
            .that().resideInAnyPackage(HARDWARE)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "cdna.sim..", "cdna.guest..", "cdna.costs..", "cdna.check..", "cdna.conformance..",
                    "cdna.certify..", "cdna.report..", "cdna.cli..")
            .because("the hardware is the bottom of the reference implementation");

    @ArchTest
    static final ArchRule theDevicesDoNotKnowTheHypervisor = noClasses()
            .that().resideInAnyPackage(DEVICES)
            .should().dependOnClassesThat().resideInAPackage("cdna.hypervisor..")
            .because("the hypervisor drives the devices, not the other way round");

    @ArchTest
    static final ArchRule theFoundationDependsOnNothingAboveIt = noClasses()
            .that().resideInAnyPackage("cdna.design..", "cdna.json..", "cdna.trace..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "cdna.memory..", "cdna.nic..", "cdna.iommu..", "cdna.hypervisor..", "cdna.sim..", "cdna.guest..",
                    "cdna.costs..", "cdna.check..", "cdna.proof..", "cdna.conformance..", "cdna.certify..", "cdna.report..", "cdna.cli..")
            .because("design, json and trace are the vocabulary every layer shares");

    @ArchTest
    static final ArchRule theCheckerReadsNoDesignSwitch = noClasses()
            .that().haveFullyQualifiedName("cdna.sim.IsolationChecker")
            .should().dependOnClassesThat().resideInAPackage("cdna.design..")
            .orShould().callMethod("cdna.sim.HostSystem", "design")
            .because("every oracle judges what the code did, not what the design says it does (issue 15)");

    @ArchTest
    static final ArchRule theHostDoesNotKnowItsGuests = noClasses()
            .that().resideInAPackage("cdna.sim..")
            .should().dependOnClassesThat().resideInAnyPackage("cdna.guest..", "cdna.costs..")
            .because("guest drivers and the cost model run on the composed host, the host does not call them");

    @ArchTest
    static final ArchRule onlyTheHypervisorProgramsTheReceiveFilters = noClasses()
            .that().resideOutsideOfPackages("cdna.hypervisor..", "cdna.nic..")
            .should().callMethod("cdna.nic.Nic", "addMac", "int", "java.lang.String")
            .orShould().callMethod("cdna.nic.Nic", "clearMacs", "int")
            .because("a VF's MAC filter is the PF driver's to program (at assignment and release), never a guest's");

    @ArchTest
    static final ArchRule theCheckerCallsNoLaterStage = noClasses()
            .that().resideInAPackage("cdna.check..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "cdna.conformance..", "cdna.report..", "cdna.certify..", "cdna.cli..")
            .because("the pipeline reads check -> replay (conformance) -> report, orchestrated by cli and certify");

    @ArchTest
    static final ArchRule theCheckerStandsWithoutTheImplementation = noClasses()
            .that().resideInAPackage("cdna.check..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "cdna.memory..", "cdna.nic..", "cdna.iommu..", "cdna.hypervisor..", "cdna.sim..", "cdna.guest..",
                    "cdna.costs..")
            .because("the TLC stage is usable without the Java implementation; the replay stage joins the two");

    @ArchTest
    static final ArchRule replayCallsNoLaterStage = noClasses()
            .that().resideInAPackage("cdna.conformance..")
            .should().dependOnClassesThat().resideInAnyPackage("cdna.report..", "cdna.certify..", "cdna.cli..")
            .because("replay comes before the report and knows nothing of who orchestrates it");

    @ArchTest
    static final ArchRule certificationDoesNotRender = noClasses()
            .that().resideInAPackage("cdna.certify..")
            .should().dependOnClassesThat().resideInAnyPackage("cdna.report..", "cdna.cli..")
            .because("a certificate is data; the report renders it");

    @ArchTest
    static final ArchRule explorationDoesNotRender = noClasses()
            .that().resideInAPackage("cdna.explore..")
            .should().dependOnClassesThat().resideInAnyPackage("cdna.report..", "cdna.cli..")
            .because("an exploration is data, as a certificate is; the report renders it");

    @ArchTest
    static final ArchRule theProofReadsOnlyTheDesignAndTheSolver = classes()
            .that().resideInAPackage("cdna.proof..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.microsoft.z3..", "cdna.proof..", "cdna.design..")
            .because("an all-sizes proof is about the spec, as TLC is: it reads a design's switches and nothing of the implementation");

    @ArchTest
    static final ArchRule theReportDoesNotCallTheCommands = noClasses()
            .that().resideInAPackage("cdna.report..")
            .should().dependOnClassesThat().resideInAPackage("cdna.cli..");

    @ArchTest
    static final ArchRule nothingDependsOnTheCommands = noClasses()
            .that().resideOutsideOfPackage("cdna.cli..")
            .should().dependOnClassesThat().resideInAPackage("cdna.cli..")
            .because("cli is the top: the commands use everything, nothing uses them");
}
