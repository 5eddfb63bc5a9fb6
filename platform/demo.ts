/**
 * Fixed ids of the demo data seeded by `npm start`, shared by every subgraph's seed so that
 * cross-subgraph references (a course's teacher, an enrollment's student) line up.
 */
export const DEMO = {
  password: 'manassa-demo',
  schools: {
    demo: { id: '0b8f5a2e-0000-4000-8000-000000000001', slug: 'demo', name: 'Manassa Demo School' },
    nile: { id: '0b8f5a2e-0000-4000-8000-000000000002', slug: 'nile', name: 'Nile International School' },
  },
  users: {
    demoAdmin: { id: '0b8f5a2e-0000-4000-8000-000000000101', email: 'admin@demo.test', displayName: 'Amal Hassan' },
    demoTeacher: { id: '0b8f5a2e-0000-4000-8000-000000000102', email: 'teacher@demo.test', displayName: 'Omar Farouk' },
    demoStudent: { id: '0b8f5a2e-0000-4000-8000-000000000103', email: 'student@demo.test', displayName: 'Mariam Adel' },
    demoParent: { id: '0b8f5a2e-0000-4000-8000-000000000104', email: 'parent@demo.test', displayName: 'Adel Mahmoud' },
    nileAdmin: { id: '0b8f5a2e-0000-4000-8000-000000000201', email: 'admin@nile.test', displayName: 'Nour Saleh' },
  },
} as const;
