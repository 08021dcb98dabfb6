package dev.vigil.report.json;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every malformed finding gets one sentence naming where it is, never an exception from deeper down. */
class ReportValidationTest {

    private static final String FINDING = "{\"kind\":\"thread-leak\",\"severity\":\"warning\","
            + "\"fingerprint\":\"0123456789abcdef\",\"title\":\"t\",\"message\":\"m\"";

    private static void assertRejected(String findings, String message) {
        String json = "{\"schemaVersion\":1,\"findings\":[" + findings + "]}";
        assertThatThrownBy(() -> ReportJson.parse(json.getBytes(StandardCharsets.UTF_8), "r.json"))
                .isInstanceOf(ReportFormatException.class)
                .hasMessage(message);
    }

    @Test
    void anEmptyFindingIsNamed() {
        assertRejected("{}", "r.json: findings[0] has no kind (" + ReportValidation.FINDING_NEEDS + ")");
    }

    @Test
    void eachMissingFieldIsNamed() {
        assertRejected(FINDING + "}," + "{\"kind\":\"deadlock\",\"severity\":\"error\",\"title\":\"t\",\"message\":\"m\"}",
                "r.json: findings[1] has no fingerprint (" + ReportValidation.FINDING_NEEDS + ")");
        assertRejected("{\"kind\":\"deadlock\",\"fingerprint\":\"f\",\"title\":\"t\",\"message\":\"m\"}",
                "r.json: findings[0] has no severity (" + ReportValidation.FINDING_NEEDS + ")");
        assertRejected("{\"kind\":\"deadlock\",\"severity\":\"error\",\"fingerprint\":\"  \",\"title\":\"t\",\"message\":\"m\"}",
                "r.json: findings[0] has no fingerprint (" + ReportValidation.FINDING_NEEDS + ")");
        assertRejected("{\"kind\":\"deadlock\",\"severity\":\"error\",\"fingerprint\":\"f\",\"message\":\"m\"}",
                "r.json: findings[0] has no title (" + ReportValidation.FINDING_NEEDS + ")");
        assertRejected("{\"kind\":\"deadlock\",\"severity\":\"error\",\"fingerprint\":\"f\",\"title\":\"t\"}",
                "r.json: findings[0] has no message (" + ReportValidation.FINDING_NEEDS + ")");
    }

    @Test
    void nullsInListsAndUnknownSeveritiesAreNamed() {
        assertRejected("null", "r.json: findings[0] is null (a list holds no nulls)");
        assertRejected(FINDING + ",\"sites\":[{\"frames\":[null]}]}", "r.json: findings[0].sites[0].frames[0] is null (a list holds no nulls)");
        assertRejected(FINDING.replace("\"warning\"", "\"fatal\"") + "}",
                "r.json: findings[0].severity is \"fatal\" (expected \"error\", \"warning\" or \"info\")");
        assertRejected(FINDING.replace("\"warning\"", "3") + "}",
                "r.json: findings[0].severity is 3 (expected \"error\", \"warning\" or \"info\")");
    }

    @Test
    void framesNeedAClassAndAMethod() {
        assertRejected(FINDING + ",\"sites\":[{\"location\":\"A.java:1\",\"frames\":[{\"method\":\"m\",\"file\":\"A.java\"}]}]}",
                "r.json: findings[0].sites[0].frames[0] has no class (every stack frame needs class and method)");
        assertRejected(FINDING + ",\"threads\":[{\"id\":1,\"name\":\"t\",\"stack\":[{\"class\":\"a.B\"}]}]}",
                "r.json: findings[0].threads[0].stack[0] has no method (every stack frame needs class and method)");
    }

    @Test
    void wrongTypesNameTheirPlace() {
        assertRejected(FINDING + ",\"threads\":[{\"id\":\"seven\"}]}",
                "r.json: malformed Vigil report: findings[0].threads[0].id: Cannot deserialize value of type `long` "
                        + "from String \"seven\": not a valid `long` value");
    }

    @Test
    void suppressedFindingsNeedAFingerprint() {
        String json = "{\"schemaVersion\":1,\"findings\":[],\"suppressed\":[{\"kind\":\"thread-leak\"}]}";
        assertThatThrownBy(() -> ReportJson.parse(json.getBytes(StandardCharsets.UTF_8), "r.json"))
                .hasMessage("r.json: suppressed[0] has no fingerprint");
    }

    @Test
    void detailsMayHoldAnything() throws Exception {
        String json = "{\"schemaVersion\":1,\"findings\":[" + FINDING + ",\"details\":{\"severity\":\"whatever\"}}]}";
        ReportJson.parse(json.getBytes(StandardCharsets.UTF_8), "r.json");
    }
}
