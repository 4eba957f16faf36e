package dev.grove.runtime.breed;

import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.ops.Softmax;
import dev.grove.runtime.train.MlpTrainer;
import dev.grove.runtime.train.TrainingOptions;
import dev.grove.runtime.train.TrainingProgress;
import java.util.List;
import java.util.Map;

/**
 * Distill: a fresh student (an {@link Mlp}, typically smaller) trained only on the teacher's output distribution over the
 * given texts, softened with the options' temperature {@code T}: targets {@code softmax(teacher_logits / T)}, loss
 * {@code T² · CE(targets, softmax(student_logits / T))}. The texts need no labels. The student must have as many classes
 * as the teacher, so the interface is unchanged.
 */
public final class Distill {
    private Distill() {
    }

    public static Bred apply(Model teacher, Mlp student, List<String> texts, TrainingOptions options,
                             TrainingProgress progress) throws BreedException {
        if (student.classes() != teacher.architecture().classes()) {
            throw new BreedException("the student has " + student.classes() + " classes but the teacher "
                    + teacher.architecture().classes() + "; a distilled child keeps the teacher's interface");
        }
        float t = options.temperature();
        float[][] targets = new float[texts.size()][];
        for (int i = 0; i < targets.length; i++) {
            float[] z = teacher.logits(texts.get(i));
            for (int j = 0; j < z.length; j++) {
                z[j] = z[j] / t;
            }
            targets[i] = Softmax.apply(z);
        }
        try {
            MlpTrainer trainer = MlpTrainer.initialise(student, options.seed());
            trainer.train(texts, targets, options, progress);
            return new Bred(student, trainer.toSafetensors(Map.of("producer", "grove breed distill")));
        } catch (ModelException | IllegalArgumentException e) {
            throw new BreedException("distill: " + e.getMessage(), e);
        }
    }
}
