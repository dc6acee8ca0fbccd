from api.main import run

run()
