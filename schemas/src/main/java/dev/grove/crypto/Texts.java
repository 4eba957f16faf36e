package dev.grove.crypto;

/** Message helpers: hostile input must not make an exception message arbitrarily long. */
final class Texts {
    private Texts() {
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
