package dev.grove.cli;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.file.Path;
import java.util.Locale;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Where {@code grove serve} sends its log lines. {@code logback.xml} starts every command with JSON lines on stdout; the
 * node then keeps them there ({@link Format#JSON}, for pipes and log collectors), writes plain lines instead
 * ({@link Format#TEXT}), or writes JSON lines to {@code <data>/node.log} and leaves the terminal to the short summary that
 * {@code grove serve} prints, with warnings and errors ({@link Format#FILE}). {@link Format#AUTO} is FILE on a terminal and
 * JSON elsewhere.
 */
final class ServeLogging {
    /** The log file of {@link Format#FILE}, in the data directory. */
    static final String FILE_NAME = "node.log";

    private static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level %-24.24logger{0} %msg%n";
    private static final String ACCESS_LOGGER = "grove.access";
    private static final String ACCESS_APPENDER = "access";

    /** The values of {@code --log-format}. */
    enum Format {
        AUTO, JSON, TEXT, FILE;

        /** AUTO resolved: FILE when a person is watching (a console), JSON otherwise. */
        Format resolve(boolean terminal) {
            return this == AUTO ? (terminal ? FILE : JSON) : this;
        }

        static Format parse(String value) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--log-format: '" + value + "' is not one of auto, json, text, file");
            }
        }
    }

    private ServeLogging() {
    }

    /**
     * Applies {@code format} (already resolved, not AUTO) to the running logback context.
     *
     * @return true when the log lines now go to {@code <data>/node.log}
     */
    static boolean apply(Format format, Path dataDir) {
        if (format == Format.JSON || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return false;
        }
        if (format == Format.TEXT) {
            writeTo(context, console(context, "text", textEncoder(context), Level.TRACE));
            return false;
        }
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(dataDir.resolve(FILE_NAME).toString());
        file.setAppend(true);
        LogstashEncoder json = new LogstashEncoder();
        json.setContext(context);
        json.setIncludeContext(false);
        json.getFieldNames().setVersion("[ignore]"); // the same fields as logback.xml's stdout lines
        json.getFieldNames().setLevelValue("[ignore]");
        json.start();
        file.setEncoder(json);
        file.start();
        Appender<ILoggingEvent> warnings = console(context, "warnings", textEncoder(context), Level.WARN);
        writeTo(context, file);
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(warnings);
        return true;
    }

    /** Every line, the access log's included, goes to {@code appender} instead of stdout's JSON. */
    private static void writeTo(LoggerContext context, Appender<ILoggingEvent> appender) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        // the access log keeps a queue (see logback.xml), now in front of the new appender: an AsyncAppender takes one
        // appender in its life, so the old queue is drained and replaced
        Logger accessLogger = context.getLogger(ACCESS_LOGGER);
        if (accessLogger.getAppender(ACCESS_APPENDER) instanceof AsyncAppender old) {
            AsyncAppender access = new AsyncAppender();
            access.setContext(context);
            access.setName(ACCESS_APPENDER);
            access.setQueueSize(old.getQueueSize());
            access.setDiscardingThreshold(old.getDiscardingThreshold());
            access.addAppender(appender);
            access.start();
            accessLogger.addAppender(access);
            accessLogger.detachAppender(old);
            old.stop();
        }
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.start();
        return encoder;
    }

    private static Appender<ILoggingEvent> console(LoggerContext context, String name, Encoder<ILoggingEvent> encoder,
            Level threshold) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(name);
        console.setEncoder(encoder);
        ThresholdFilter filter = new ThresholdFilter();
        filter.setLevel(threshold.levelStr);
        filter.start();
        console.addFilter(filter);
        console.start();
        return console;
    }
}
