package dev.vigil.jmc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmc.common.item.Attribute;
import org.openjdk.jmc.common.item.IAttribute;
import org.openjdk.jmc.common.item.IItem;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.common.item.IMemberAccessor;
import org.openjdk.jmc.common.item.ItemFilters;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.flightrecorder.rules.AbstractRule;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IResultValueProvider;
import org.openjdk.jmc.flightrecorder.rules.ResultBuilder;
import org.openjdk.jmc.flightrecorder.rules.Severity;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;

/**
 * Shows one Vigil finding kind on JMC's Automated Analysis page. The recording carries each
 * finding as an event (the last one per fingerprint is its final state); a Vigil {@code error} or
 * {@code warning} is a JMC warning, {@code info} is information, and no finding is OK.
 */
public abstract class VigilFindingRule extends AbstractRule {

    static final String TOPIC = "vigil";

    private static final IAttribute<String> SEVERITY = Attribute.attr("severity", "Severity", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<String> FINGERPRINT = Attribute.attr("fingerprint", "Fingerprint", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<String> TITLE = Attribute.attr("title", "Title", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<String> MESSAGE = Attribute.attr("message", "Message", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<String> HOW_TO_FIX = Attribute.attr("howToFix", "How to Fix", UnitLookup.PLAIN_TEXT);

    private final String eventType;
    private final String kind;

    protected VigilFindingRule(String eventType, String kind, String name) {
        super("Vigil." + eventType.substring("vigil.".length()), name, TOPIC, Collections.emptyList(),
                Collections.emptyList(), Map.of(eventType, EventAvailability.AVAILABLE));
        this.eventType = eventType;
        this.kind = kind;
    }

    /** One finding as the recording last saw it. */
    private record Seen(String severity, String title, String message, String howToFix) {
    }

    @Override
    protected IResult getResult(IItemCollection items, IPreferenceValueProvider preferences,
                                IResultValueProvider dependencies) {
        Map<String, Seen> byFingerprint = new LinkedHashMap<>();
        for (IItemIterable iterable : items.apply(ItemFilters.type(eventType))) {
            IMemberAccessor<String, IItem> severity = SEVERITY.getAccessor(iterable.getType());
            IMemberAccessor<String, IItem> fingerprint = FINGERPRINT.getAccessor(iterable.getType());
            IMemberAccessor<String, IItem> title = TITLE.getAccessor(iterable.getType());
            IMemberAccessor<String, IItem> message = MESSAGE.getAccessor(iterable.getType());
            IMemberAccessor<String, IItem> fix = HOW_TO_FIX.getAccessor(iterable.getType());
            if (severity == null || fingerprint == null) {
                continue;
            }
            for (IItem item : iterable) {
                byFingerprint.put(fingerprint.getMember(item), new Seen(severity.getMember(item),
                        title == null ? null : title.getMember(item), message == null ? null : message.getMember(item),
                        fix == null ? null : fix.getMember(item)));
            }
        }
        ResultBuilder result = ResultBuilder.createFor(this, preferences);
        if (byFingerprint.isEmpty()) {
            return result.setSeverity(Severity.OK).setSummary("Vigil found no " + kind + ".").build();
        }
        List<Seen> seen = new ArrayList<>(byFingerprint.values());
        seen.sort((a, b) -> rank(a.severity()) - rank(b.severity()));
        Severity worst = rank(seen.get(0).severity()) <= 1 ? Severity.WARNING : Severity.INFO;
        StringBuilder explanation = new StringBuilder();
        for (Seen s : seen) {
            explanation.append(s.severity().toUpperCase(Locale.ROOT)).append(": ").append(s.title()).append(". ")
                    .append(s.message() == null ? "" : s.message()).append("\n");
        }
        String summary = "Vigil found " + seen.size() + " " + kind + (seen.size() == 1 ? "" : " findings") + ": "
                + seen.get(0).title() + (seen.size() > 1 ? " (and " + (seen.size() - 1) + " more)" : "") + ".";
        return result.setSeverity(worst).setSummary(summary).setExplanation(explanation.toString().trim())
                .setSolution(seen.get(0).howToFix()).build();
    }

    private static int rank(String severity) {
        return switch (severity == null ? "" : severity) {
            case "error" -> 0;
            case "warning" -> 1;
            default -> 2;
        };
    }
}
