import { useNavigate } from 'react-router';
import { useMutation } from '../../api/use-query';
import { graphql } from '../../gql';

const StudentStartAttempt = graphql(`
  mutation StudentStartAttempt($quizId: ID!) {
    startQuizAttempt(quizId: $quizId) {
      id
    }
  }
`);

/**
 * Starts an attempt (or gets back the one still running: the server answers with it) and opens it.
 * The attempt's id is in the page's address, so a reload reopens it with its saved answers.
 */
export function useStartAttempt() {
  const navigate = useNavigate();
  const { mutate, pending, error } = useMutation(StudentStartAttempt);
  const start = async (quizId: string) => {
    const data = await mutate({ quizId });
    if (data) navigate(`/student/attempts/${data.startQuizAttempt.id}`);
  };
  return { start, pending, error };
}
