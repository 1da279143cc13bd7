import { AuthProvider } from './auth/auth-context.tsx';
import { SignIn } from './auth/sign-in.tsx';
import { Shell } from './shell.tsx';

export function App() {
  return (
    <AuthProvider signedOut={<SignIn />}>
      <Shell />
    </AuthProvider>
  );
}
