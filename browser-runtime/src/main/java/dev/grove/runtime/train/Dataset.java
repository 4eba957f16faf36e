package dev.grove.runtime.train;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Labelled texts: UTF-8 lines {@code label TAB text}; empty lines are skipped. The label set is given (it fixes the class
 * order of a model's output) or taken from the data in order of first appearance.
 */
public final class Dataset {
    private final List<String> labels;
    private final List<String> texts;
    private final int[] classes;

    private Dataset(List<String> labels, List<String> texts, int[] classes) {
        this.labels = Collections.unmodifiableList(new ArrayList<>(labels));
        this.texts = Collections.unmodifiableList(new ArrayList<>(texts));
        this.classes = classes;
    }

    /** Parses TSV bytes with the labels in order of first appearance. */
    public static Dataset parse(byte[] tsv) {
        return parse(tsv, null);
    }

    /**
     * Parses TSV bytes.
     *
     * @param labels the class order, or {@code null} to take labels in order of first appearance
     * @throws IllegalArgumentException naming the line that has no tab, an empty text or a label outside {@code labels}
     */
    public static Dataset parse(byte[] tsv, List<String> labels) {
        String content = new String(tsv, StandardCharsets.UTF_8);
        Map<String, Integer> index = new LinkedHashMap<>();
        if (labels != null) {
            for (String l : labels) {
                if (index.putIfAbsent(l, index.size()) != null) {
                    throw new IllegalArgumentException("label '" + l + "' is listed twice");
                }
            }
        }
        List<String> texts = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        int lineNo = 0;
        for (String line : content.split("\n", -1)) {
            lineNo++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab <= 0 || tab == line.length() - 1) {
                throw new IllegalArgumentException("line " + lineNo + ": expected 'label<TAB>text'");
            }
            String label = line.substring(0, tab);
            Integer c = index.get(label);
            if (c == null) {
                if (labels != null) {
                    throw new IllegalArgumentException("line " + lineNo + ": label '" + label + "' is not one of "
                            + index.keySet());
                }
                c = index.size();
                index.put(label, c);
            }
            texts.add(line.substring(tab + 1));
            classes.add(c);
        }
        int[] cls = new int[classes.size()];
        for (int i = 0; i < cls.length; i++) {
            cls[i] = classes.get(i);
        }
        return new Dataset(new ArrayList<>(index.keySet()), texts, cls);
    }

    /** Builds a dataset from parallel lists (class indices into {@code labels}). */
    public static Dataset of(List<String> labels, List<String> texts, int[] classes) {
        if (texts.size() != classes.length) {
            throw new IllegalArgumentException(texts.size() + " texts but " + classes.length + " classes");
        }
        for (int c : classes) {
            if (c < 0 || c >= labels.size()) {
                throw new IllegalArgumentException("class " + c + " out of range for " + labels.size() + " labels");
            }
        }
        return new Dataset(labels, texts, classes.clone());
    }

    public List<String> labels() {
        return labels;
    }

    public int size() {
        return texts.size();
    }

    public String text(int i) {
        return texts.get(i);
    }

    /** The class index of sample {@code i}. */
    public int label(int i) {
        return classes[i];
    }

    /** Number of samples per class, in label order. */
    public int[] counts() {
        int[] n = new int[labels.size()];
        for (int c : classes) {
            n[c]++;
        }
        return n;
    }
}
