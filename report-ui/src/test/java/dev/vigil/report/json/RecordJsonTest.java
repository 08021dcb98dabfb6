package dev.vigil.report.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.report.SampleReports;
import dev.vigil.report.model.Report;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The streaming writer writes exactly what Jackson's {@code ObjectMapper} writes, for every record
 * of the model: built here by reflection with every component set (and again with every object
 * component null), so that a component added to the model without the writer knowing it fails.
 */
class RecordJsonTest {

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    @Test
    void everyComponentOfEveryRecordIsWrittenAsTheMapperWritesIt() throws Exception {
        Report full = (Report) sample(Report.class, false, 0);
        assertSame(full);
        assertThat(ReportJson.toJson(full)).contains("\"class\" : ", "\"severity\" : \"error\"");
    }

    @Test
    void nullComponentsAreLeftOutOrWrittenAsTheMapperDoes() throws Exception {
        assertSame(sample(Report.class, true, 0));
    }

    @Test
    void sampleReportsAreWrittenAsTheMapperWritesThem() throws Exception {
        assertSame(SampleReports.threadLeak());
    }

    @Test
    void detailsOfEveryJsonTypeAreWrittenAsTheMapperWritesThem() throws Exception {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("s", "a \"quoted\"\nline\u202e\u0000");
        details.put("i", 3);
        details.put("l", 1L << 40);
        details.put("d", 0.1);
        details.put("b", false);
        details.put("n", null);
        details.put("list", List.of(1, "two", List.of()));
        details.put("map", Map.of("k", Map.of()));
        details.put("array", new String[] {"x", "y"});
        assertSame(details);
    }

    private static void assertSame(Object value) throws Exception {
        assertThat(RecordJson.toString(value, true)).isEqualTo(PRETTY.writeValueAsString(value));
        assertThat(RecordJson.toString(value, false)).isEqualTo(COMPACT.writeValueAsString(value));
    }

    /** An instance of {@code type} with every component set, or (with {@code nulls}) every object component null. */
    private static Object sample(Type type, boolean nulls, int depth) throws Exception {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            return "s" + depth;
        } else if (raw == int.class || raw == Integer.class) {
            return 7 + depth;
        } else if (raw == long.class || raw == Long.class) {
            return 1L << 35;
        } else if (raw == boolean.class || raw == Boolean.class) {
            return true;
        } else if (raw == double.class || raw == Double.class) {
            return 2.5;
        } else if (raw.isEnum()) {
            return raw.getEnumConstants()[0];
        } else if (raw == List.class) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> list = new ArrayList<>();
            list.add(sample(element, nulls, depth + 1));
            return list;
        } else if (raw == Map.class) {
            Type valueType = ((ParameterizedType) type).getActualTypeArguments()[1];
            Map<String, Object> map = new LinkedHashMap<>();
            if (valueType == Object.class) {
                map.put("text", "v");
                map.put("count", 3);
                map.put("nested", List.of(Map.of("k", 1L)));
            } else {
                map.put("key", sample(valueType, nulls, depth + 1));
            }
            return map;
        } else if (raw.isRecord()) {
            RecordComponent[] components = raw.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                args[i] = nulls && !types[i].isPrimitive() ? null
                        : sample(components[i].getGenericType(), nulls, depth + 1);
            }
            Constructor<?> canonical = raw.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        }
        throw new IllegalArgumentException("no sample for " + type);
    }
}
