import type { Feature } from '../../../platform/subgraph/feature';
import { QuizAttemptFact } from './quiz-attempt-fact.entity';

/** Graded quiz attempts. */
export const quizFeature = { entities: [QuizAttemptFact] } satisfies Feature;
