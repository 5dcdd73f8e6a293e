package dev.jrunc.spec.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrunc.spec.validate.SchemaValidator.Document;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How violations are pointed at and worded. */
class SchemaValidatorTest {

    private static final SchemaValidator CONFIG = SchemaValidator.ours(Document.CONFIG);
    private static final SchemaValidator CLOSED = SchemaValidator.fromFile(TestDocuments.resource("test-schemas/closed.schema.json"));

    private static JsonNode json(String text) {
        try {
            return TestDocuments.STRICT.readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A config with a valid ociVersion and cwd around the given process/linux members. */
    private static List<Violation> config(String members) {
        return CONFIG.validate(json("{'ociVersion': '1.3.0', " + members + "}"));
    }

    private static Violation only(List<Violation> vs) {
        assertEquals(1, vs.size(), vs.toString());
        return vs.get(0);
    }

    @Test
    void validDocumentHasNoViolations() {
        assertEquals(List.of(), config("'process': {'cwd': '/', 'args': ['sh']}"));
    }

    @Test
    void missingRequiredPropertyIsPointedAtItself() {
        assertEquals(List.of(new Violation("/ociVersion", "required property is missing")), CONFIG.validate(json("{}")));
        assertEquals(new Violation("/process/cwd", "required property is missing"),
                only(config("'process': {'args': ['sh']}")));
        assertEquals("/linux/seccomp/syscalls/0/action",
                only(config("'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read']}]}}")).pointer());
    }

    @Test
    void wrongTypeSaysWhatWasExpectedAndWhatWasFound() {
        assertEquals(new Violation("/process/args", "must be an array, not a string"),
                only(config("'process': {'cwd': '/', 'args': 'sh'}")));
        assertEquals(new Violation("/process/user/uid", "must be an integer, not a string"),
                only(config("'process': {'cwd': '/', 'user': {'uid': '0'}}")));
        assertEquals(new Violation("/linux/cgroupsPath", "must be a string, not null"),
                only(config("'linux': {'cgroupsPath': null}")));
        assertEquals(new Violation("/linux", "must be an object, not an array"), only(config("'linux': []")));
    }

    @Test
    void unknownSeccompNamesGetRuncsWords() {
        assertEquals(new Violation("/linux/seccomp/defaultAction", "string SCMP_ACT_FOO is not a valid action for seccomp"),
                only(config("'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_FOO'}}")));
        assertEquals(new Violation("/linux/seccomp/architectures/1", "string SCMP_ARCH_FOO is not a valid arch for seccomp"),
                only(config("'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['SCMP_ARCH_X86', 'SCMP_ARCH_FOO']}}")));
        assertEquals(new Violation("/linux/seccomp/syscalls/0/action", "string SCMP_ACT_FOO is not a valid action for seccomp"),
                only(config("'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_FOO'}]}}")));
        assertEquals(new Violation("/linux/seccomp/syscalls/0/args/0/op", "string SCMP_CMP_FOO is not a valid operator for seccomp"),
                only(config("'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], "
                        + "'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, 'value': 1, 'op': 'SCMP_CMP_FOO'}]}]}}")));
    }

    @Test
    void integersWrittenWithFractionOrExponentAreRefused() {
        assertEquals(new Violation("/process/user/uid",
                        "must be an integer, not 0.0 (write integers without a fraction or an exponent)"),
                only(config("'process': {'cwd': '/', 'user': {'uid': 0.0}}")));
        assertEquals("/process/rlimits/0/hard",
                only(config("'process': {'cwd': '/', 'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': 1, 'hard': 1e3}]}")).pointer());
    }

    @Test
    void rangesGiveTheBoundAndTheValue() {
        assertEquals(new Violation("/process/user/uid", "must be at least 0; found -1"),
                only(config("'process': {'cwd': '/', 'user': {'uid': -1}}")));
        assertEquals(new Violation("/process/user/gid", "must be at most 4294967295; found 4294967296"),
                only(config("'process': {'cwd': '/', 'user': {'gid': 4294967296}}")));
        assertEquals(new Violation("/linux/resources/memory/limit", "must be at most 9223372036854775807; found 9223372036854775808"),
                only(config("'linux': {'resources': {'memory': {'limit': 9223372036854775808}}}")));
        assertEquals(List.of(), config("'linux': {'resources': {'memory': {'swappiness': 18446744073709551615}}}"));
        assertEquals(new Violation("/hooks/poststop/0/timeout", "must be at least 1; found 0"),
                only(config("'hooks': {'poststop': [{'path': '/bin/true', 'timeout': 0}]}")));
    }

    @Test
    void shortEnumerationsAreListedInFull() {
        assertEquals(new Violation("/linux/namespaces/2/type",
                        "must be one of \"mount\", \"pid\", \"network\", \"uts\", \"ipc\", \"user\", \"cgroup\", \"time\"; found \"net\""),
                only(config("'linux': {'namespaces': [{'type': 'pid'}, {'type': 'mount'}, {'type': 'net'}]}")));
    }

    @Test
    void longEnumerationsAreSummarized() {
        // the schemas' only long enumeration (seccomp archs) gets runc's words instead: the summary itself
        assertEquals("must be one of the 23 allowed values (\"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\", "
                + "\"SCMP_ARCH_LOONGARCH64\", \"SCMP_ARCH_M68K\", ...); found \"i386\"",
                Messages.enumMessage(json("['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM', 'SCMP_ARCH_LOONGARCH64', 'SCMP_ARCH_M68K', 'a5', 'a6', "
                        + "'a7', 'a8', 'a9', 'a10', 'a11', 'a12', 'a13', 'a14', 'a15', 'a16', 'a17', 'a18', 'a19', 'a20', 'a21', 'a22', 'a23']"),
                        json("'i386'")));
    }

    @Test
    void patternsAndItemCounts() {
        assertEquals(new Violation("/process/rlimits/0/type", "must match the regular expression ^RLIMIT_[A-Z]+$; found \"nofile\""),
                only(config("'process': {'cwd': '/', 'rlimits': [{'type': 'nofile', 'soft': 1, 'hard': 1}]}")));
        assertEquals(new Violation("/linux/seccomp/syscalls/0/names", "must have at least 1 item; found 0"),
                only(config("'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': [], 'action': 'SCMP_ACT_LOG'}]}}")));
    }

    @Test
    void pointerTokensAreEscaped() {
        assertEquals(new Violation("/annotations/a~1b~0c", "must be a string, not an integer"),
                only(config("'annotations': {'a/b~c': 1}")));
        assertEquals("a~1b~0c~0~1", Violation.escape("a/b~c~/"));
        assertEquals("plain", Violation.escape("plain"));
    }

    @Test
    void theDocumentItselfIsTheEmptyPointer() {
        Violation v = only(CONFIG.validate(json("['ociVersion']")));
        assertEquals("", v.pointer());
        assertEquals("/: must be an object, not an array", v.toString());
    }

    @Test
    void violationsAreSortedAndDistinct() {
        List<Violation> vs = config("'process': {'args': 5, 'user': {'uid': 'x', 'gid': -1}}, 'hostname': 1");
        assertEquals(List.of("/hostname", "/process/args", "/process/cwd", "/process/user/gid", "/process/user/uid"),
                vs.stream().map(Violation::pointer).toList());
        assertEquals(vs.stream().distinct().toList(), vs);
    }

    @Test
    void unknownPropertyIsPointedAtItselfWithTheAllowedNames() {
        assertEquals(new Violation("/colour", "property is not allowed here (allowed: mode, box, name, tags, kind, choice, ratio, id)"),
                only(CLOSED.validate(json("{'mode': 'a', 'colour': 'red'}"))));
        assertEquals(new Violation("/box/d", "property is not allowed here (allowed: w, h)"),
                only(CLOSED.validate(json("{'mode': 'a', 'box': {'w': 1, 'h': 1, 'd': 2}}"))));
        assertEquals(new Violation("/box/h", "required property is missing (needed when \"w\" is present)"),
                only(CLOSED.validate(json("{'mode': 'a', 'box': {'w': 1}}"))));
    }

    @Test
    void otherKeywordsHaveReadableMessages() {
        assertEquals(new Violation("/mode", "must be one of \"a\", \"b\"; found \"c\""), only(CLOSED.validate(json("{'mode': 'c'}"))));
        assertEquals(new Violation("/kind", "must be \"x\"; found \"y\""), only(CLOSED.validate(json("{'mode': 'a', 'kind': 'y'}"))));
        assertEquals(new Violation("/name", "must be at least 2 characters long"), only(CLOSED.validate(json("{'mode': 'a', 'name': 'n'}"))));
        assertEquals(new Violation("/name", "must be at most 5 characters long"), only(CLOSED.validate(json("{'mode': 'a', 'name': 'longer'}"))));
        assertEquals(new Violation("/tags", "must have at most 2 items; found 3"), only(CLOSED.validate(json("{'mode': 'a', 'tags': [1, 2, 3]}"))));
        assertEquals(new Violation("/tags", "must not contain the same item twice"), only(CLOSED.validate(json("{'mode': 'a', 'tags': [1, 1]}"))));
        assertEquals(new Violation("/ratio", "must be greater than 0; found 0"), only(CLOSED.validate(json("{'mode': 'a', 'ratio': 0}"))));
        assertEquals(new Violation("/id", "must be a string or an integer, not a boolean"), only(CLOSED.validate(json("{'mode': 'a', 'id': true}"))));
        assertTrue(CLOSED.validate(json("{'mode': 'a', 'choice': true}")).contains(
                new Violation("/choice", "must match exactly one of the allowed forms")));
    }

    @Test
    void oursIsBuiltOncePerDocument() {
        for (Document d : Document.values()) {
            assertSame(SchemaValidator.ours(d), SchemaValidator.ours(d));
        }
    }

    @Test
    void stateAndFeaturesSchemas() {
        assertEquals(new Violation("/status", "must be one of \"creating\", \"created\", \"running\", \"stopped\"; found \"paused\""),
                only(SchemaValidator.ours(Document.STATE).validate(json("{'ociVersion': '1.3.0', 'id': 'c', 'status': 'paused', 'bundle': '/b'}"))));
        assertEquals(new Violation("/ociVersionMax", "required property is missing"),
                only(SchemaValidator.ours(Document.FEATURES).validate(json("{'ociVersionMin': '1.0.0'}"))));
    }

    @Test
    void ourSchemasLoadedFromTheirSourceDirectoryBehaveTheSame() {
        SchemaValidator fromDir = SchemaValidator.fromFile(Path.of("oci-spec-schemas", "config.schema.json"));
        for (String doc : List.of("{}", "{'ociVersion': '1', 'process': {'cwd': '/', 'user': {'uid': 1.5}}}",
                "{'ociVersion': '1', 'linux': {'namespaces': [{'type': 'bogus'}], 'seccomp': {}}}")) {
            assertEquals(CONFIG.validate(json(doc)), fromDir.validate(json(doc)), doc);
        }
    }

    @Test
    void missingSchemaFileIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SchemaValidator.fromFile(Path.of("no/such/schema.json")));
    }

    @Test
    void invalidJsonNeverReachesTheValidator() {
        assertThrows(IOException.class, () -> TestDocuments.STRICT.readTree("{]"));
        assertThrows(IOException.class, () -> TestDocuments.STRICT.readTree("{\"ociVersion\": \"1\"} {}"));
        assertThrows(NullPointerException.class, () -> CONFIG.validate(null));
    }
}
