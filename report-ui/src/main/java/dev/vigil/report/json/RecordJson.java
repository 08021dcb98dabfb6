package dev.vigil.report.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes the report model (records of strings, numbers, lists, maps and enums) with Jackson's
 * streaming generator, as {@code ObjectMapper} writes it: the same names ({@code @JsonProperty}),
 * the same order (the record's components), {@code @JsonInclude(NON_NULL)}, {@code @JsonValue},
 * the same pretty printer. Byte for byte the same (ReportJsonTest compares both on full reports).
 *
 * <p>Why not the mapper: the agent writes its first report on the JVM's way out, and the mapper's
 * first use (its bean introspection, serializer factories and their classes) cost about 200 ms of
 * an empty program's exit (docs/PERFORMANCE.md). The mapper still reads reports, and writes any
 * value this writer does not know (never one of Vigil's own).
 */
final class RecordJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** Per record class: its JSON property names, accessors and which ones leave out a null. */
    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return Shape.of(type);
        }
    };

    private static final ClassValue<Method> JSON_VALUE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            for (Method m : type.getMethods()) {
                if (m.isAnnotationPresent(JsonValue.class) && m.getParameterCount() == 0) {
                    return m;
                }
            }
            return null;
        }
    };

    private RecordJson() {
    }

    static void write(Object value, OutputStream out, boolean indent) throws IOException {
        write(FACTORY.createGenerator(out), value, indent);
    }

    static void write(Object value, Writer out, boolean indent) throws IOException {
        write(FACTORY.createGenerator(out), value, indent);
    }

    static String toString(Object value, boolean indent) throws IOException {
        StringWriter w = new StringWriter();
        write(value, w, indent);
        return w.toString();
    }

    /** Writes {@code value} with {@code created} and closes it; the target stays open (the caller's). */
    private static void write(JsonGenerator created, Object value, boolean indent) throws IOException {
        try (JsonGenerator g = created) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            if (indent) {
                g.setPrettyPrinter(new DefaultPrettyPrinter());
            }
            value(g, value);
            g.flush();
        }
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Record r) {
            record(g, r);
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object e : c) {
                value(g, e);
            }
            g.writeEndArray();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object key = e.getKey();
                if (!(key instanceof String)) {
                    throw new IOException("a map key that is not a string: " + (key == null ? "null" : key.getClass()));
                }
                g.writeFieldName((String) key);
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).intValue());
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Enum<?> e) {
            Method m = JSON_VALUE.get(e.getDeclaringClass());
            if (m == null) {
                g.writeString(e.name());
            } else {
                value(g, invoke(m, e));
            }
        } else if (v instanceof Object[] a) {
            value(g, java.util.Arrays.asList(a));
        } else {
            // Not a type of the report model: the mapper knows how (never reached by Vigil's own reports).
            ReportJson.mapper().writeValue(g, v);
        }
    }

    private static void record(JsonGenerator g, Record r) throws IOException {
        Shape shape = SHAPES.get(r.getClass());
        g.writeStartObject();
        for (int i = 0; i < shape.names.length; i++) {
            Object v = invoke(shape.accessors[i], r);
            if (v == null && shape.skipNull[i]) {
                continue;
            }
            g.writeFieldName(shape.names[i]);
            value(g, v);
        }
        g.writeEndObject();
    }

    private static Object invoke(Method m, Object target) throws IOException {
        try {
            return m.invoke(target);
        } catch (IllegalAccessException e) {
            throw new IOException("cannot read " + m, e);
        } catch (InvocationTargetException e) {
            throw new IOException("reading " + m + " failed", e.getCause());
        }
    }

    private record Shape(String[] names, Method[] accessors, boolean[] skipNull) {
        static Shape of(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            JsonInclude onType = type.getAnnotation(JsonInclude.class);
            boolean typeSkipsNull = onType != null && onType.value() == JsonInclude.Include.NON_NULL;
            String[] names = new String[components.length];
            Method[] accessors = new Method[components.length];
            boolean[] skipNull = new boolean[components.length];
            for (int i = 0; i < components.length; i++) {
                Method accessor = components[i].getAccessor();
                accessor.setAccessible(true);
                JsonProperty renamed = accessor.getAnnotation(JsonProperty.class);
                names[i] = renamed != null && !renamed.value().isEmpty() ? renamed.value() : components[i].getName();
                accessors[i] = accessor;
                JsonInclude include = accessor.getAnnotation(JsonInclude.class);
                skipNull[i] = include == null ? typeSkipsNull : include.value() == JsonInclude.Include.NON_NULL;
                if (include != null && include.value() != JsonInclude.Include.NON_NULL
                        && include.value() != JsonInclude.Include.ALWAYS
                        || onType != null && onType.value() != JsonInclude.Include.NON_NULL
                        && onType.value() != JsonInclude.Include.ALWAYS) {
                    throw new IllegalStateException(type + ": only @JsonInclude NON_NULL and ALWAYS are written");
                }
            }
            return new Shape(names, accessors, skipNull);
        }
    }
}
