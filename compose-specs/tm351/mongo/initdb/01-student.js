// First start of the course's MongoDB (run by the mongo image's entrypoint, in mongosh, as the
// administrator MONGO_INITDB_ROOT_USERNAME, only while the data volume is empty): creates the
// student's login. Like the PostgreSQL one it is no administrator: it reads and writes every
// database and manages their collections and indexes, but cannot manage users or the server.
// Its name and password come from the container's environment (the password is generated per
// install by Coursedock, see MONGO_PASSWORD in compose.yml), never written here.
const user = process.env.MONGO_STUDENT_USER;
const pwd = process.env.MONGO_STUDENT_PASSWORD;
if (!user || !pwd) throw new Error('MONGO_STUDENT_USER and MONGO_STUDENT_PASSWORD must be set');
const course = db.getSiblingDB(process.env.MONGO_INITDB_DATABASE || 'tm351');
course.createUser({
  user,
  pwd,
  roles: [
    { role: 'dbOwner', db: course.getName() },
    { role: 'readWriteAnyDatabase', db: 'admin' },
    { role: 'dbAdminAnyDatabase', db: 'admin' },
  ],
});
print(`created the MongoDB login ${user} (database ${course.getName()})`);
